import { parseArgs } from 'node:util';
import { runConversationBench } from './conversation.js';
import { benchPosters } from './posters.js';
import { benchReminders } from './reminders.js';
import { benchSummary } from './summary.js';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [options]` one of them. Benchmarks,
 * not tests: they print figures and assert nothing but correctness.
 */
const benches: Record<string, (argv: string[]) => Promise<void>> = {
  conversation: runConversationBench,
  reminders: benchReminders,
  posters: benchPosters,
  summary: benchSummary,
};

const { positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, strict: false });
const [name] = positionals;
if (name !== undefined && !benches[name]) {
  console.error(`Usage: npm run bench [-- <${Object.keys(benches).join('|')}> [--teachers N] [--runs N]]`);
  process.exit(1);
}
const selected = name === undefined ? Object.values(benches) : [benches[name]!];
(async () => {
  for (const bench of selected) await bench(process.argv.slice(3));
})().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
