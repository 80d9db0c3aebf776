import { readFileSync } from 'node:fs';
import { type Checklist, parseChecklist } from './domain/checklist/schema.js';

/** Reads a school's own checklist; any problem is reported with the path and what is wrong. */
export function loadChecklistFile(path: string): Checklist {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`CHECKLIST_FILE ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseChecklist(json);
  if (!parsed.ok) throw new Error(`CHECKLIST_FILE ${path}: ${parsed.problems.join('; ')}`);
  return parsed.checklist;
}
