import type { Reply } from '../domain/model.js';
import type { Notifier } from '../domain/ports.js';
import type { Logger } from '../logger.js';
import type { ChartRenderer } from './summary-chart.js';

/** The picture's file name: VK shows photos without it, but the upload needs one. */
export const CHART_FILENAME = 'svodka.png';

/**
 * Draws a reply's chart just before it is sent and attaches it as a photo. A picture costs a
 * file save per recipient (VK does not take those inside `execute`), so only the summary has one.
 * If the picture cannot be drawn, or VK will not take it, the text goes alone.
 */
export function withCharts(notifier: Notifier, deps: { charts: ChartRenderer; logger: Logger }): Notifier {
  return {
    async send(vkId, reply, dedupKey, options) {
      if (!reply.chart) return notifier.send(vkId, reply, dedupKey, options);
      const { chart, ...rest } = reply;
      let png: Uint8Array;
      try {
        png = await deps.charts.render(chart);
      } catch (error) {
        deps.logger.error({ err: error, key: dedupKey }, 'summary chart not drawn, sending the text alone');
        return notifier.send(vkId, rest, dedupKey, options);
      }
      const withChart: Reply = { ...rest, files: [{ kind: 'photo', filename: CHART_FILENAME, content: png }, ...(rest.files ?? [])], withoutFiles: rest.withoutFiles ?? rest };
      const delivery = await notifier.send(vkId, withChart, dedupKey, options);
      // The notifier keeps a transient upload failure for the outbox to retry (a poster must come);
      // a summary goes without its picture instead. Same random_id: nothing was sent under it.
      return delivery.status === 'failed' ? notifier.send(vkId, rest, dedupKey, options) : delivery;
    },
  };
}
