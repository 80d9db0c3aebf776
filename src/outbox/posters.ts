import { createHash } from 'node:crypto';
import type { PosterRequest, Reply } from '../domain/model.js';
import type { PosterRenderer, UploadedFiles } from '../domain/ports.js';
import type { Logger } from '../logger.js';

export interface PreparedReply {
  reply: Reply;
  /** Set when the reply's poster was rendered: store its uploaded attachments under this hash once sent. */
  hash?: string;
}

export interface PosterFiles {
  /**
   * Makes a reply with a poster ready to send: the attachments uploaded the last time the same
   * poster went to the same person, or else the rendered files. A poster that fails to render is a
   * bug, not the teacher's problem: the reply's `withoutFiles` version goes instead, and the error is logged.
   */
  prepare(recipientVkId: number, reply: Reply): Promise<PreparedReply>;
  remember(hash: string, attachments: readonly string[]): Promise<void>;
}

/**
 * Keyed by the person too: VK ties a message document to the dialog it was uploaded for, and a
 * poster's links are that teacher's anyway.
 */
export function posterHash(recipientVkId: number, poster: PosterRequest): string {
  return createHash('sha256').update(JSON.stringify({ to: recipientVkId, poster })).digest('hex');
}

export function createPosterFiles(deps: { renderer: PosterRenderer; uploaded: UploadedFiles; logger: Logger }): PosterFiles {
  const { renderer, uploaded, logger } = deps;
  return {
    async prepare(recipientVkId, reply) {
      const { poster, ...rest } = reply;
      if (!poster) return { reply };
      const hash = posterHash(recipientVkId, poster);
      const attachments = await uploaded.find(hash);
      if (attachments) return { reply: { ...rest, attachments } };
      const started = performance.now();
      try {
        const files = await renderer.render(poster);
        logger.debug({ pages: poster.pages.length, ms: Math.round(performance.now() - started) }, 'poster rendered');
        return { reply: { ...rest, files: [...(rest.files ?? []), ...files] }, hash };
      } catch (error) {
        logger.error({ err: error }, 'poster not rendered, sending the message without it');
        return { reply: rest.withoutFiles ?? { text: rest.text, ...(rest.buttons ? { buttons: rest.buttons } : {}) } };
      }
    },
    remember: (hash, attachments) => uploaded.remember(hash, attachments),
  };
}
