import { parseArgs } from 'node:util';
import { benchReminders } from './reminders.js';

/** `npm run bench -- <name> [options]`: benchmarks, not tests; they print figures and assert nothing but correctness. */
const benches: Record<string, (argv: string[]) => Promise<void>> = { reminders: benchReminders };

const { positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, strict: false });
const [name, ...rest] = positionals;
const bench = name ? benches[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join('|')}> [--teachers N] [--runs N]`);
  process.exit(1);
}
bench(process.argv.slice(3)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
