import type { Checklist } from '../checklist/schema.js';
import type { Input, Reply } from '../model.js';
import { reachFields } from '../parents.js';
import { adminCommandOfText, adminActionOfText } from './commands.js';
import { exportFile } from './export.js';
import { type AdminInput, type Intent, decide } from './machine.js';
import type { Admin, SchoolOverview } from './model.js';
import { formatDate, formatDateRanges } from './parsers.js';
import { isAdminPayload } from './payload.js';
import { formatDateTime, localDate } from '../calendar.js';
import type { AdminPageLinks, AdminReports, AdminRepositories, DocumentFetcher, LaggardReminder, ReportRenderer, RosterFileReader, UserDirectory } from './ports.js';
import { RosterFileError } from './ports.js';
import { parseRosterRows, planRoster, resolveRoster, screenNamesOf, splitPastedRoster } from './roster.js';
import type { AdminState, AdminStep } from './state.js';
import { adminTexts as t } from './texts.js';
import {
  adminMenu,
  askReply,
  auditReply,
  confirmReply,
  importPreviewReply,
  noticeReply,
  schoolTasksReply,
  schoolsReply,
  settingsReply,
  teacherReply,
  teachersReply,
  yesButton,
} from './views.js';

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
  handle(repos: AdminRepositories, session: AdminSession, input: AdminInput, now: Date): Promise<AdminOutcome>;
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

export function createAdminHandler(deps: {
  checklist: Checklist;
  timeZone: string;
  reports: AdminReports;
  reminder: LaggardReminder;
  renderer: ReportRenderer;
  files: RosterFileReader;
  fetcher: DocumentFetcher;
  directory: UserDirectory;
  /** Link to the community's dialog, for the "start the bot" poster. */
  botUrl: string;
  /** Links to the administrators' web page; null when the server has no public address. */
  pageLinks?: AdminPageLinks | null;
  newJoinCode?: () => string;
}): AdminHandler {
  const { checklist, timeZone, reports, reminder, renderer, files, fetcher, directory, botUrl, pageLinks = null, newJoinCode = randomJoinCode } = deps;

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

  /** The regional table, each school's parents reached compared with its previous summary. */
  async function overview(repos: AdminRepositories, now: Date): Promise<SchoolOverview[]> {
    const schools = await repos.schoolAdmin.overview(reachFields(checklist));
    const previous = await repos.snapshots.latestBefore(schools.map((school) => school.id), localDate(now, timeZone));
    return schools.map((school) => {
      const before = previous.get(school.id)?.data.parents;
      return { ...school, parentsDelta: school.parents && before ? school.parents.joined - before.joined : null };
    });
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
      return (input.type === 'button' && isAdminPayload(input.payload)) || (command !== undefined && command !== 'учитель');
    },

    async handle(repos, session, input, now) {
      const { admin } = session;
      const decision = decide(session.state.step, input);
      let state: AdminState = { ...session.state, teacherMode: false, step: decision.step };
      const intent = decision.intent;
      const finish = (...replies: Reply[]): AdminOutcome => ({ replies, state, intent: intent.type });

      // Intents that need no school.
      if (intent.type === 'schools' || intent.type === 'pick_school') {
        if (admin.role !== 'region') {
          state = { ...state, step: { kind: 'menu' } };
          if (intent.type === 'pick_school' && intent.schoolId !== admin.schoolId) return finish({ text: t.noSchool });
          const own = admin.schoolId ? await repos.schoolAdmin.get(admin.schoolId) : null;
          return finish(own ? adminMenu(own.name, { regional: false }) : { text: t.noSchool });
        }
        if (intent.type === 'schools') return finish(schoolsReply(await overview(repos, now)));
        const picked = await repos.schoolAdmin.get(intent.schoolId);
        if (!picked) return finish({ text: t.noSchool });
        state = { ...state, schoolId: picked.id };
        return finish(adminMenu(picked.name, { regional: true, notice: t.schoolPicked(picked.name) }));
      }
      if (intent.type === 'page') {
        if (!pageLinks) return finish({ text: t.pageUnavailable });
        const { url, expiresAt } = pageLinks.linkFor(admin, now);
        return finish({ text: t.pageLink(url, formatDateTime(expiresAt, timeZone), admin.role === 'region'), buttons: [[{ label: t.menu.menu, payload: { a: 'ad_menu' } }]] });
      }
      if (intent.type === 'teacher_mode') {
        const teacher = await repos.teachers.findByVkId(admin.vkId);
        if (!teacher) return finish({ text: t.notATeacher });
        state = { ...state, teacherMode: true };
        return finish({ text: t.teacherMode });
      }

      const schoolId = admin.role === 'school' ? admin.schoolId : state.schoolId;
      const settings = schoolId ? await repos.schoolAdmin.get(schoolId) : null;
      if (!schoolId || !settings) {
        state = { ...state, step: { kind: 'menu' } };
        if (admin.role === 'region') return finish(schoolsReply(await overview(repos, now), t.pickSchoolFirst));
        return finish({ text: t.noSchool });
      }
      const regional = admin.role === 'region';
      /** Every admin change and export is audited: actor 'admin' and the administrator's VK id. */
      const audit = (action: string, extra: { teacherId?: string | null; taskCode?: string; details?: Record<string, unknown> } = {}) =>
        repos.audit.append({
          schoolId,
          teacherId: extra.teacherId ?? null,
          actor: 'admin',
          actorVkId: admin.vkId,
          action,
          taskCode: extra.taskCode ?? null,
          details: extra.details ?? null,
          at: now,
        });
      const menu = (notice?: string) => adminMenu(settings.name, { regional, notice });
      const findTeacher = (id: string) => repos.roster.find(schoolId, id);
      const notFound = (): AdminOutcome => {
        state = { ...state, step: { kind: 'menu' } };
        return finish(noticeReply(t.notFound));
      };

      switch (intent.type) {
        case 'menu':
          return finish(menu(intent.notice));
        case 'summary':
          return finish(...(await reports.summary(repos, schoolId, now)));
        case 'laggards':
          return finish(...(await reports.laggards(repos, schoolId, now)));
        case 'remind': {
          const result = await reminder.remindNow(repos, schoolId, now);
          if ('closed' in result) return finish(noticeReply(t.remindClosed(result.closed.from, result.closed.to)));
          await audit('laggards_reminded', { details: { queued: result.queued } });
          return finish(noticeReply(t.remindReport(result)));
        }
        case 'export': {
          const file = await exportFile({ checklist, timeZone, renderer }, repos, settings, intent.format, now, (teachers) =>
            audit('report_exported', { details: { format: intent.format, teachers } }),
          );
          return finish({ text: t.exportCaption(settings.name), files: [file], buttons: intent.format === 'xlsx' ? [[{ label: t.menu.exportCsv, payload: { a: 'ad_export_csv' } }, { label: t.menu.menu, payload: { a: 'ad_menu' } }]] : [[{ label: t.menu.menu, payload: { a: 'ad_menu' } }]] });
        }
        case 'school_tasks':
          return finish(schoolTasksReply(settings, timeZone));
        case 'settings':
          return finish(settingsReply(settings));
        case 'poster': {
          const content = await renderer.startPoster({ schoolName: settings.name, botUrl, joinCode: settings.joinCode });
          return finish({ text: t.posterCaption, files: [{ kind: 'document', filename: 'start-bot-poster.pdf', content }], buttons: [[{ label: t.menu.menu, payload: { a: 'ad_menu' } }]] });
        }
        case 'teachers':
          return finish(teachersReply(await repos.roster.list(schoolId), intent.page));
        case 'teacher': {
          const teacher = await findTeacher(intent.teacherId);
          return teacher ? finish(teacherReply(checklist, teacher, timeZone)) : notFound();
        }
        case 'audit': {
          const teacher = await findTeacher(intent.teacherId);
          return teacher ? finish(auditReply(checklist, teacher, await repos.auditLog.forTeacher(schoolId, teacher.id, 30), timeZone)) : notFound();
        }
        case 'set_active': {
          const teacher = await findTeacher(intent.teacherId);
          if (!teacher) return notFound();
          if (teacher.active !== intent.active) {
            await repos.roster.setActive(teacher.id, intent.active);
            await audit(intent.active ? 'teacher_activated' : 'teacher_deactivated', { teacherId: teacher.id });
          }
          return finish(noticeReply(intent.active ? t.activated : t.deactivated, 'teacher', teacher.id));
        }
        case 'ask': {
          const { step } = intent;
          const hinted = (reply: Reply): AdminOutcome => finish(intent.hint ? { ...reply, text: `${intent.hint}\n\n${reply.text}` } : reply);
          switch (step.kind) {
            case 'await_import':
              return hinted(askReply(t.importAsk));
            case 'local_act':
              return hinted(askReply(t.localActAsk));
            case 'school_link':
              return hinted(askReply(t.schoolLinkAsk));
            case 'deadline':
              return hinted(askReply(t.deadlineAsk));
            case 'holidays':
              return hinted(askReply(t.holidaysAsk));
            case 'eo':
              return hinted(askReply(t.eoAsk(settings.eoInstructions)));
            case 'code_confirm':
              return hinted(confirmReply(t.codeAsk, yesButton(t.codeYes, { a: 'ad_code_yes' })));
            case 'edit_teacher':
            case 'leave':
            case 'erase_confirm': {
              const teacher = await findTeacher(step.teacherId);
              if (!teacher) return notFound();
              if (step.kind === 'edit_teacher') return hinted(askReply(t.editAsk(teacher.fullName)));
              if (step.kind === 'leave') return hinted(askReply(t.leaveAsk));
              return hinted(confirmReply(t.eraseAsk(teacher.fullName), yesButton(t.eraseYes, { a: 'ad_erase_yes', t: teacher.id })));
            }
            case 'menu':
            case 'import_preview':
              return finish(menu());
            default: {
              const unreachable: never = step;
              return unreachable;
            }
          }
        }
        case 'preview': {
          const roster = await repos.roster.list(schoolId);
          const elsewhere = await repos.roster.vkIdsElsewhere(schoolId, intent.lines.flatMap((l) => (l.vkId === null ? [] : [l.vkId])));
          const plan = planRoster(intent.lines, roster, elsewhere);
          const problems = [...intent.problems, ...plan.problems].sort((a, b) => a.line - b.line);
          const applicable = plan.changes.some((c) => c.kind !== 'same');
          state = { ...state, step: applicable ? { kind: 'import_preview', lines: plan.changes.map((c) => c.line) } : { kind: 'menu' } };
          return finish(importPreviewReply(plan.changes, problems, intent.dataLines));
        }
        case 'apply': {
          const roster = await repos.roster.list(schoolId);
          const elsewhere = await repos.roster.vkIdsElsewhere(schoolId, intent.lines.flatMap((l) => (l.vkId === null ? [] : [l.vkId])));
          const plan = planRoster(intent.lines, roster, elsewhere);
          let created = 0;
          let updated = 0;
          for (const change of plan.changes) {
            const details = { classes: change.line.classes, line: change.line.line };
            if (change.kind === 'new') {
              const id = await repos.roster.insert(schoolId, change.line);
              await repos.audit.append({ schoolId, teacherId: id, actor: 'import', actorVkId: admin.vkId, action: 'roster_added', details, at: now });
              created += 1;
            } else if (change.kind === 'update') {
              await repos.roster.update(change.teacher.id, change.line);
              await repos.audit.append({ schoolId, teacherId: change.teacher.id, actor: 'import', actorVkId: admin.vkId, action: 'roster_updated', details, at: now });
              updated += 1;
            }
          }
          return finish(menu(t.importApplied(created, updated, plan.changes.length - created - updated)));
        }
        case 'nothing_to_apply':
          return finish(noticeReply(t.importNothingPending));
        case 'roster_error':
          return finish({ ...askReply(t.fileProblems[intent.problem]) });
        case 'local_act':
          await repos.schoolAdmin.recordTask(schoolId, 'local_act', { kind: 'local_act', number: intent.number, date: intent.date }, now, admin.vkId);
          await audit('school_task_done', { taskCode: 'local_act', details: { number: intent.number, date: intent.date } });
          return finish(schoolTasksReply((await repos.schoolAdmin.get(schoolId)) ?? settings, timeZone, t.localActRecorded(intent.number, formatDate(intent.date))));
        case 'school_link':
          await repos.schoolAdmin.recordTask(schoolId, 'school_link', { kind: 'school_link', note: intent.note }, now, admin.vkId);
          await audit('school_task_done', { taskCode: 'school_link', details: { note: intent.note } });
          return finish(schoolTasksReply((await repos.schoolAdmin.get(schoolId)) ?? settings, timeZone, t.schoolLinkRecorded));
        case 'deadline': {
          await repos.schoolAdmin.setDeadline(schoolId, intent.date);
          await audit('deadline_set', { details: { deadline: intent.date } });
          const past = intent.date !== null && intent.date < localDate(now, timeZone);
          const notice = intent.date ? `${t.deadlineSet(formatDate(intent.date))}${past ? `\n${t.deadlinePast}` : ''}` : t.deadlineCleared;
          const updated = { ...settings, deadline: intent.date };
          return finish(intent.back === 'school_tasks' ? schoolTasksReply(updated, timeZone, notice) : settingsReply(updated, notice));
        }
        case 'holidays':
          await repos.schoolAdmin.setHolidays(schoolId, intent.dates);
          await audit('holidays_set', { details: { days: intent.dates.length } });
          return finish(settingsReply({ ...settings, holidays: intent.dates }, intent.dates.length > 0 ? t.holidaysSet(formatDateRanges(intent.dates)) : t.holidaysCleared));
        case 'eo':
          await repos.schoolAdmin.setEoInstructions(schoolId, intent.text);
          await audit('eo_instructions_set', { details: { length: intent.text?.length ?? 0 } });
          return finish(settingsReply({ ...settings, eoInstructions: intent.text }, intent.text ? t.eoSet : t.eoCleared));
        case 'rotate_code': {
          for (let attempt = 0; attempt < 5; attempt += 1) {
            const code = newJoinCode();
            if (await repos.schoolAdmin.rotateJoinCode(schoolId, code, now)) {
              await audit('join_code_rotated');
              return finish(settingsReply({ ...settings, joinCode: code }, t.codeRotated(code)));
            }
          }
          throw new Error('could not find a free join code');
        }
        case 'edit': {
          const teacher = await findTeacher(intent.teacherId);
          if (!teacher) return notFound();
          const vkId = intent.line.vkId ?? teacher.vkId;
          const roster = vkId === null ? [] : await repos.roster.list(schoolId);
          const taken = vkId !== null && (roster.some((x) => x.vkId === vkId && x.id !== teacher.id) || (await repos.roster.vkIdsElsewhere(schoolId, [vkId])).has(vkId));
          if (taken) {
            state = { ...state, step: { kind: 'edit_teacher', teacherId: teacher.id } };
            return finish(askReply(`${t.rosterProblems.vk_taken}.\n\n${t.editAsk(teacher.fullName)}`));
          }
          await repos.roster.update(teacher.id, { ...intent.line, vkId });
          await audit('roster_updated', { teacherId: teacher.id, details: { classes: intent.line.classes } });
          return finish(noticeReply(t.edited, 'teacher', teacher.id));
        }
        case 'leave': {
          const teacher = await findTeacher(intent.teacherId);
          if (!teacher) return notFound();
          await repos.roster.setLeave(teacher.id, intent.until);
          await audit(intent.until ? 'leave_set' : 'leave_cleared', { teacherId: teacher.id, ...(intent.until ? { details: { until: intent.until } } : {}) });
          return finish(noticeReply(intent.until ? t.leaveSet(formatDate(intent.until)) : t.leaveCleared, 'teacher', teacher.id));
        }
        case 'erase': {
          const teacher = await findTeacher(intent.teacherId);
          if (!teacher) return notFound();
          const result = await repos.roster.erase(teacher.id, now);
          await audit('data_erased', { teacherId: teacher.id, details: { by: 'admin', completionsKept: result.completionsKept } });
          return finish(noticeReply(t.erased));
        }
        case 'stale':
          return finish(noticeReply(t.stale));
        default: {
          const unreachable: never = intent;
          return unreachable;
        }
      }
    },
  };
}
