import { parseClassList } from '../validation/class-list.js';
import { parseFullName } from '../validation/full-name.js';
import { type VkRef, parseVkRef } from '../validation/vk-ref.js';
import type { RosterLine, RosterTeacher } from './model.js';

/** More lines than a school has teachers is a wrong file, not a roster. */
export const MAX_ROSTER_LINES = 500;

export type RosterProblemCode =
  | 'columns'
  | 'name_short'
  | 'name_long'
  | 'name_cyrillic'
  | 'vk_bad'
  | 'vk_unknown'
  | 'vk_taken'
  | 'classes_bad'
  | 'classes_many'
  | 'duplicate'
  | 'too_many_lines';

export interface RosterProblem {
  line: number;
  code: RosterProblemCode;
  /** The offending cell, echoed so the administrator sees what to fix. */
  value: string;
}

/** A line parsed but not yet resolved: its VK reference may be a short name. */
export interface DraftLine {
  line: number;
  fullName: string;
  vk: VkRef | null;
  classes: string[];
}

export interface RosterDraft {
  lines: DraftLine[];
  problems: RosterProblem[];
}

/** Splits pasted lines into cells: «ФИО; VK; классы», a tab also separates (a paste from Excel). */
export function splitPastedRoster(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .map((line) => (line.includes('\t') ? line.split('\t') : line.split(';')).map((cell) => cell.trim()));
}

const isBlank = (row: readonly string[]) => row.every((cell) => cell.trim() === '');
const isHeader = (row: readonly string[]) => /ф\.?\s*и\.?\s*о|фамилия|имя|name/i.test(row[0] ?? '') && !parseFullName(row[0] ?? '').ok;

/**
 * Reads roster rows (cells: full name; VK id, profile link or short name; classes). Blank rows and
 * a header row are skipped; every other row becomes a draft line or problems with its number.
 */
export function parseRosterRows(rows: readonly (readonly string[])[]): RosterDraft {
  const lines: DraftLine[] = [];
  const problems: RosterProblem[] = [];
  const content = rows.map((row, index) => ({ row, line: index + 1 })).filter(({ row }) => !isBlank(row));
  if (content[0] && isHeader(content[0].row)) content.shift();
  if (content.length > MAX_ROSTER_LINES) {
    return { lines: [], problems: [{ line: content[MAX_ROSTER_LINES]!.line, code: 'too_many_lines', value: String(content.length) }] };
  }
  for (const { row, line } of content) {
    const cells = row.map((cell) => cell.trim());
    while (cells.length > 3 && cells.at(-1) === '') cells.pop();
    if (cells.length < 2 || cells.length > 3) {
      problems.push({ line, code: 'columns', value: cells.join('; ') });
      continue;
    }
    const [nameCell = '', vkCell = '', classCell = ''] = cells;
    const lineProblems: RosterProblem[] = [];
    const name = parseFullName(nameCell);
    if (!name.ok) lineProblems.push({ line, code: name.error === 'too_short' ? 'name_short' : name.error === 'too_long' ? 'name_long' : 'name_cyrillic', value: nameCell });
    const vk = parseVkRef(vkCell);
    if (!vk.ok) lineProblems.push({ line, code: 'vk_bad', value: vkCell });
    let classes: string[] = [];
    if (classCell !== '') {
      const parsed = parseClassList(classCell);
      if (parsed.ok) classes = parsed.value;
      else lineProblems.push({ line, code: parsed.error === 'too_many' ? 'classes_many' : 'classes_bad', value: classCell });
    }
    if (lineProblems.length > 0 || !name.ok || !vk.ok) {
      problems.push(...lineProblems);
      continue;
    }
    lines.push({ line, fullName: name.value, vk: vk.value, classes });
  }
  return { lines, problems };
}

/** Short names that need users.get, each once. */
export function screenNamesOf(draft: RosterDraft): string[] {
  return [...new Set(draft.lines.flatMap((line) => (line.vk?.kind === 'screen' ? [line.vk.name] : [])))];
}

/**
 * Replaces short names by the ids users.get gave (unknown names become problems) and rejects a
 * line that repeats an earlier line's VK id or, without a VK id, its name.
 */
export function resolveRoster(draft: RosterDraft, resolved: ReadonlyMap<string, number>): { lines: RosterLine[]; problems: RosterProblem[] } {
  const problems = [...draft.problems];
  const lines: RosterLine[] = [];
  const seenIds = new Set<number>();
  const seenNames = new Set<string>();
  for (const draftLine of draft.lines) {
    let vkId: number | null = null;
    if (draftLine.vk?.kind === 'id') vkId = draftLine.vk.id;
    if (draftLine.vk?.kind === 'screen') {
      const id = resolved.get(draftLine.vk.name);
      if (id === undefined) {
        problems.push({ line: draftLine.line, code: 'vk_unknown', value: draftLine.vk.name });
        continue;
      }
      vkId = id;
    }
    const nameKey = normalizeName(draftLine.fullName);
    if ((vkId !== null && seenIds.has(vkId)) || (vkId === null && seenNames.has(nameKey))) {
      problems.push({ line: draftLine.line, code: 'duplicate', value: draftLine.fullName });
      continue;
    }
    if (vkId !== null) seenIds.add(vkId);
    seenNames.add(nameKey);
    lines.push({ line: draftLine.line, fullName: draftLine.fullName, vkId, classes: draftLine.classes });
  }
  problems.sort((a, b) => a.line - b.line);
  return { lines, problems };
}

export const normalizeName = (name: string): string => name.toLocaleLowerCase('ru').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();

export type RosterChange =
  | { kind: 'new'; line: RosterLine }
  | { kind: 'update'; line: RosterLine; teacher: RosterTeacher }
  | { kind: 'same'; line: RosterLine; teacher: RosterTeacher };

/**
 * Matches lines to the school's roster: by VK id, else (a line without one) by name among teachers
 * without a VK id. Applying the result twice changes nothing the second time: every line is `same`.
 * A VK id that belongs to a teacher of another school is a problem, not a move.
 */
export function planRoster(
  lines: readonly RosterLine[],
  roster: readonly RosterTeacher[],
  takenElsewhere: ReadonlySet<number>,
): { changes: RosterChange[]; problems: RosterProblem[] } {
  const changes: RosterChange[] = [];
  const problems: RosterProblem[] = [];
  const claimed = new Set<string>();
  for (const line of lines) {
    if (line.vkId !== null && takenElsewhere.has(line.vkId)) {
      problems.push({ line: line.line, code: 'vk_taken', value: String(line.vkId) });
      continue;
    }
    // A line without a VK id matches by name whatever the teacher's id (they may have registered
    // since the first import) and keeps that id; a line with one claims a same-named teacher only
    // when that teacher has no id yet.
    const byName = (t: RosterTeacher) =>
      !claimed.has(t.id) && normalizeName(t.fullName) === normalizeName(line.fullName) && (line.vkId === null || t.vkId === null);
    const match = (line.vkId !== null ? roster.find((t) => t.vkId === line.vkId) : undefined) ?? roster.find(byName);
    if (!match || claimed.has(match.id)) {
      changes.push({ kind: 'new', line });
      continue;
    }
    claimed.add(match.id);
    const resolved: RosterLine = { ...line, vkId: line.vkId ?? match.vkId };
    const same = match.active && match.fullName === resolved.fullName && match.vkId === resolved.vkId && sameList(match.classes, resolved.classes);
    changes.push(same ? { kind: 'same', line: resolved, teacher: match } : { kind: 'update', line: resolved, teacher: match });
  }
  return { changes, problems };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
