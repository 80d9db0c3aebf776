import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchChart } from './chart.js';
import { runConversationBench } from './conversation.js';
import { benchMemory } from './memory.js';
import { benchPosters } from './posters.js';
import { benchReminders, reminderPasses } from './reminders.js';
import { benchSummary } from './summary.js';
import { type BenchDatabase, databases, runOnlyOn } from './support.js';

/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [options]` one of them. Benchmarks,
 * not tests: they print figures and assert nothing but correctness.
 *
 * Each pass (a benchmark on one database, and for reminders one size) runs in a child process of
 * its own, `tsx bench/run.ts <name> [options] --db postgres|embedded`: passes share no heap, so one
 * pass's database or garbage cannot starve the next, and each peak RSS is that pass's own.
 * With `--db`, run.ts runs the one pass in this process.
 */
interface Bench {
  run(argv: string[]): Promise<void>;
  /** The option lists of its passes (default: the options given); each runs on every database. */
  passes?(argv: string[]): string[][];
  /** False: one pass, on DATABASE_URL's server if set, else on the embedded server. */
  perDatabase: boolean;
}

const benches: Record<string, Bench> = {
  conversation: { run: runConversationBench, perDatabase: true },
  reminders: { run: benchReminders, passes: reminderPasses, perDatabase: true },
  posters: { run: benchPosters, perDatabase: false },
  summary: { run: benchSummary, perDatabase: true },
  memory: { run: benchMemory, perDatabase: false },
  chart: { run: benchChart, perDatabase: false },
};

const argv = process.argv.slice(2);
const { values, positionals } = parseArgs({ args: argv, options: { db: { type: 'string' } }, allowPositionals: true, strict: false });
const [name] = positionals;
const db = values.db;
if ((name !== undefined && !benches[name]) || (db !== undefined && (name === undefined || (db !== 'postgres' && db !== 'embedded')))) {
  console.error(`Usage: npm run bench [-- <${Object.keys(benches).join('|')}> [--teachers N] [--runs N] [--db postgres|embedded]]`);
  process.exit(1);
}
/** The benchmark's own options: everything but its name and --db. */
const options = argv.filter((arg, i) => i !== argv.indexOf(name!) && arg !== '--db' && argv[i - 1] !== '--db' && !arg.startsWith('--db='));

/** Runs one pass in a child process with this terminal; resolves with its exit code, or the signal that ended it. */
function child(args: string[]): Promise<number | string> {
  console.log(`\n▶ tsx bench/run.ts ${args.join(' ')}`);
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: 'inherit' })
      .on('error', reject)
      .on('exit', (code, signal) => resolve(code ?? signal ?? 'no exit code'));
  });
}

async function main(): Promise<number> {
  if (db !== undefined) {
    runOnlyOn(db as BenchDatabase);
    await benches[name!]!.run(options);
    return 0;
  }
  const failed: string[] = [];
  for (const bench of name === undefined ? Object.keys(benches) : [name]) {
    const { passes, perDatabase } = benches[bench]!;
    for (const pass of passes ? passes(options) : [options]) {
      for (const on of perDatabase ? databases() : databases().slice(0, 1)) {
        const args = [bench, ...pass, '--db', on];
        const code = await child(args);
        if (code !== 0) failed.push(`${args.join(' ')} (${typeof code === 'number' ? `exit ${code}` : code})`);
      }
    }
  }
  if (failed.length > 0) console.error(`\nFailed passes:\n${failed.map((pass) => `  ${pass}`).join('\n')}`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
