import { parseArgs } from 'node:util';
import { type Config, ConfigError, parseConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createMessaging, openRuntime } from '../compose/runtime.js';
import { parseAt } from './args.js';
import { formatReminderReport, formatSummaryReport } from './report.js';

const USAGE = `Usage: npm run job -- <reminders|summary> [--at <time>] [--dry-run]

  reminders       queue the reminders due now and send them
  summary         queue today's summary for each administrator and send it
  --at <time>     evaluate as of this moment, e.g. 2026-12-08T10:00:00+03:00
                  (without an offset the time is read in TIMEZONE)
  --dry-run       print who would get what; write and send nothing

Reads the same environment as npm start (.env.example). Running a job twice sends nothing new.`;

/**
 * One tick of a job, now or as of --at, for operators and tests. Reads the configuration like
 * `npm start`, never starts the long poll. Exit code 0 when the tick ran, 1 on any error.
 */
const parseJobArgs = (argv: string[]) =>
  parseArgs({ args: argv, allowPositionals: true, options: { at: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });

async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseJobArgs>;
  try {
    args = parseJobArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 1;
  }
  const [job, ...extra] = args.positionals;
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if ((job !== 'reminders' && job !== 'summary') || extra.length > 0) {
    console.error(USAGE);
    return 1;
  }

  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
    return 1;
  }
  const now = args.values.at === undefined ? new Date() : parseAt(args.values.at, config.TIMEZONE);
  if (now === null) {
    console.error(`--at ${args.values.at}: expected a date and time such as 2026-12-08T10:00:00+03:00`);
    return 1;
  }
  const dryRun = args.values['dry-run'] ?? false;

  const logger = createLogger(config.LOG_LEVEL, { stderr: true });
  const runtime = await openRuntime({ config, logger });
  try {
    const { jobs } = createMessaging(runtime);
    const context = { now, timeZone: config.TIMEZONE, dryRun };
    if (job === 'reminders') {
      console.log(formatReminderReport(await jobs.reminders(now, { dryRun }), context));
    } else {
      console.log(formatSummaryReport(await jobs.summary(now, { dryRun }), context));
    }
    return 0;
  } finally {
    await runtime.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `Job failed: ${error.message}` : error);
    process.exit(1);
  },
);
