import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh folder under the temp dir that other users may pass through (mkdtemp makes it 0700):
 * run as root (CI), the embedded database's server runs as "postgres" and must reach DATA_DIR in it.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}
