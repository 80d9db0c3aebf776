import type { Input, Reply } from '../model.js';
import { adminActionOfText, adminCommandOfText, adminTextCommands } from './commands.js';
import { type AdminContext, type HandlerResult, type IntentDeps, createSchoolHandlers, createSchoollessHandlers, isSchoolless, overview, runHandler } from './intent-handlers.js';
import { type AdminInput, type Intent, decide } from './machine.js';
import type { Admin } from './model.js';
import { isAdminPayload } from './payload.js';
import type { Repositories } from '../ports.js';
import type { AdminPageLinks, DocumentFetcher, RosterFileReader, UserDirectory } from './ports.js';
import { RosterFileError } from './ports.js';
import { parseRosterRows, resolveRoster, screenNamesOf, splitPastedRoster } from './roster.js';
import type { AdminState, AdminStep } from './state.js';
import { adminTexts as t } from './texts.js';
import { schoolsReply } from './views.js';

export interface AdminSession {
  admin: Admin;
  state: AdminState;
}

export interface AdminOutcome {
  replies: Reply[];
  state: AdminState;
  /** Log-safe: what was done, never names. */
  intent: Intent['type'];
}

export interface AdminHandler {
  /**
   * Before the transaction: reads a roster the administrator sent (downloading the file, resolving
   * VK short names), so no network call happens while rows are locked. Anyone else's input, and
   * an administrator's ordinary input, is returned unchanged.
   */
  prepare(input: Input, session: AdminSession | null): Promise<AdminInput>;
  /** True when this input goes to the admin menu rather than the administrator's own checklist. */
  wantsAdmin(input: AdminInput, session: AdminSession): boolean;
  handle(repos: Repositories, session: AdminSession, input: AdminInput, now: Date): Promise<AdminOutcome>;
}

/** Files larger than this are refused before download: a roster of a few hundred lines is far smaller. */
export const MAX_ROSTER_FILE_BYTES = 2 * 1024 * 1024;
const ROSTER_EXTENSIONS = /\.(xlsx|csv|txt)$/i;
const JOIN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A join code nobody guesses: 8 characters of an alphabet without 0/O and 1/I. */
export function randomJoinCode(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((b) => JOIN_CODE_ALPHABET[b % JOIN_CODE_ALPHABET.length]).join('');
}

export function createAdminHandler(
  deps: Omit<IntentDeps, 'newJoinCode' | 'pageLinks'> & {
    pageLinks?: AdminPageLinks | null;
    files: RosterFileReader;
    fetcher: DocumentFetcher;
    directory: UserDirectory;
    newJoinCode?: () => string;
  },
): AdminHandler {
  const { files, fetcher, directory } = deps;
  const intentDeps: IntentDeps = { ...deps, pageLinks: deps.pageLinks ?? null, newJoinCode: deps.newJoinCode ?? randomJoinCode };
  const schoollessHandlers = createSchoollessHandlers(intentDeps);
  const schoolHandlers = createSchoolHandlers(intentDeps);

  async function readRoster(input: Input, step: AdminStep): Promise<AdminInput> {
    let rows: string[][];
    if (input.type === 'document') {
      const { document } = input;
      if (!ROSTER_EXTENSIONS.test(document.filename)) return { type: 'roster_error', problem: 'unsupported' };
      if (document.size !== null && document.size > MAX_ROSTER_FILE_BYTES) return { type: 'roster_error', problem: 'too_big' };
      try {
        rows = await files.read(await fetcher.fetch(document.url), document.filename);
      } catch (error) {
        if (error instanceof RosterFileError) return { type: 'roster_error', problem: error.code };
        throw error;
      }
    } else if (input.type === 'text') {
      rows = splitPastedRoster(step.kind === 'await_import' || step.kind === 'edit_teacher' ? input.text : input.text.replace(/^\s*импорт\s*\n/i, ''));
    } else {
      return input;
    }
    const draft = parseRosterRows(rows);
    const names = screenNamesOf(draft);
    const resolved = names.length > 0 ? await directory.resolve(names) : new Map<string, number>();
    const { lines, problems } = resolveRoster(draft, resolved);
    return { type: 'roster', lines, problems, dataLines: lines.length + new Set(problems.map((p) => p.line)).size };
  }

  const isRosterText = (input: Input, step: AdminStep): boolean =>
    input.type === 'text' &&
    adminActionOfText(input.text) === undefined &&
    (step.kind === 'await_import' || step.kind === 'edit_teacher' || /^\s*импорт\s*\n/i.test(input.text));

  return {
    async prepare(input, session) {
      if (!session || session.state.teacherMode) return input;
      if (input.type === 'document' || isRosterText(input, session.state.step)) return readRoster(input, session.state.step);
      return input;
    },

    wantsAdmin(input, session) {
      if (!session.state.teacherMode) return true;
      // In teacher mode only admin buttons and admin words (but «учитель» itself) lead back.
      const command = input.type === 'text' ? adminCommandOfText(input.text) : undefined;
      return (input.type === 'button' && isAdminPayload(input.payload)) || (command !== undefined && adminTextCommands[command] !== 'ad_teacher_mode');
    },

    async handle(repos, session, input, now) {
      const { admin } = session;
      const { step, intent } = decide(session.state.step, input);
      const c: AdminContext = { repos, admin, now, state: { ...session.state, teacherMode: false, step } };
      const finish = ({ replies, state = c.state }: HandlerResult): AdminOutcome => ({ replies, state, intent: intent.type });

      if (isSchoolless(intent)) return finish(await runHandler(schoollessHandlers, c, intent));

      const schoolId = admin.role === 'school' ? admin.schoolId : c.state.schoolId;
      const settings = schoolId ? await repos.schoolAdmin.get(schoolId) : null;
      if (!schoolId || !settings) {
        const state: AdminState = { ...c.state, step: { kind: 'menu' } };
        if (admin.role === 'region') return finish({ replies: [schoolsReply(await overview(c, intentDeps), t.pickSchoolFirst)], state });
        return finish({ replies: [{ text: t.noSchool }], state });
      }
      return finish(await runHandler(schoolHandlers, { ...c, schoolId, settings, regional: admin.role === 'region' }, intent));
    },
  };
}
