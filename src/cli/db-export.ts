import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { ConfigError, parseDatabaseSettings } from '../config.js';
import { openDatabase } from '../db/client.js';
import { exportDatabase } from '../db/export.js';

const USAGE = `Usage: npm run db:export -- [file.sql]

Writes the whole database (DATABASE_URL's, else the embedded one in DATA_DIR) as one plain SQL
script, as pg_dump --inserts does, to the file or to standard output. Safe while the bot runs.
Load it into an empty database on a PostgreSQL server, then set DATABASE_URL to it:

  psql -v ON_ERROR_STOP=1 -f file.sql postgres://user@server:5432/newdb`;

async function main(argv: string[]): Promise<number> {
  if (argv.length > 1 || argv[0]?.startsWith('-')) {
    console.error(USAGE);
    return argv[0] === '--help' || argv[0] === '-h' ? 0 : 1;
  }
  let settings: ReturnType<typeof parseDatabaseSettings>;
  try {
    settings = parseDatabaseSettings(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
    return 1;
  }
  const database = await openDatabase(
    settings.DATABASE_URL ? { url: settings.DATABASE_URL } : { dataDir: settings.DATA_DIR, whenRunning: 'share', role: 'an export' },
  );
  const out = argv[0] ? createWriteStream(argv[0]) : process.stdout;
  try {
    await exportDatabase(database.db, async (chunk) => {
      if (!out.write(chunk)) await once(out, 'drain');
    });
  } finally {
    await database.close();
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
    console.error(`Exported to ${argv[0]}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `Export failed: ${error.message}` : error);
    process.exit(1);
  },
);
