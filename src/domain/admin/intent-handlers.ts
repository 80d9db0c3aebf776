import type { Checklist } from '../checklist/schema.js';
import { formatDateTime, localDate } from '../calendar.js';
import { reachFields } from '../parents.js';
import type { Button, Reply } from '../model.js';
import { exportFile } from './export.js';
import type { Intent } from './machine.js';
import type { Admin, RosterLine, RosterTeacher, SchoolOverview, SchoolSettings } from './model.js';
import { formatDate, formatDateRanges } from './parsers.js';
import type { Repositories } from '../ports.js';
import type { AdminPageLinks, AdminReports, LaggardReminder, ReportRenderer } from './ports.js';
import { planRoster } from './roster.js';
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

/** The services the intent handlers use. */
export interface IntentDeps {
  checklist: Checklist;
  timeZone: string;
  reports: AdminReports;
  reminder: LaggardReminder;
  renderer: ReportRenderer;
  /** Link to the community's dialog, for the "start the bot" poster. */
  botUrl: string;
  /** Links to the administrators' web page; null when the server has no public address. */
  pageLinks: AdminPageLinks | null;
  newJoinCode: () => string;
}

/** One administrator's request: who asks, with which storage, at what time, from which state. */
export interface AdminContext {
  repos: Repositories;
  admin: Admin;
  /** The state `decide` chose; a handler's result may change it. */
  state: AdminState;
  now: Date;
}

/** A request about one school the administrator may work on. */
export interface SchoolContext extends AdminContext {
  schoolId: string;
  settings: SchoolSettings;
  regional: boolean;
}

/** What a handler answers, and the state to store when it is not the one `decide` chose. */
export interface HandlerResult {
  replies: Reply[];
  state?: AdminState;
}

type IntentType = Intent['type'];
type IntentOf<K extends IntentType> = Extract<Intent, { type: K }>;
type Handler<C, K extends IntentType> = (c: C, intent: IntentOf<K>) => Promise<HandlerResult> | HandlerResult;

/** Intents that need no school: choosing one, the web page's link, and leaving for the administrator's own checklist. */
export type SchoollessIntent = 'schools' | 'pick_school' | 'page' | 'teacher_mode';
export type SchoollessHandlers = { [K in SchoollessIntent]: Handler<AdminContext, K> };
/** Every other intent, run once the school is known; the two records cover every intent (checked by the types). */
export type SchoolHandlers = { [K in Exclude<IntentType, SchoollessIntent>]: Handler<SchoolContext, K> };

const SCHOOLLESS: ReadonlySet<IntentType> = new Set<SchoollessIntent>(['schools', 'pick_school', 'page', 'teacher_mode']);

export function isSchoolless(intent: Intent): intent is IntentOf<SchoollessIntent> {
  return SCHOOLLESS.has(intent.type);
}

/** Runs the handler of `intent` from `handlers` (a record keyed by intent type). */
export function runHandler<C, K extends IntentType>(handlers: { [P in K]: Handler<C, P> }, c: C, intent: IntentOf<K>): Promise<HandlerResult> | HandlerResult {
  const handler = handlers[intent.type as K] as Handler<C, K>;
  return handler(c, intent);
}

const reply = (...replies: Reply[]): HandlerResult => ({ replies });
const withStep = (c: AdminContext, step: AdminStep, ...replies: Reply[]): HandlerResult => ({ replies, state: { ...c.state, step } });
const toMenu = (c: AdminContext, ...replies: Reply[]): HandlerResult => withStep(c, { kind: 'menu' }, ...replies);
const menuButton: Button = { label: t.menu.menu, payload: { a: 'ad_menu' } };

export const createSchoollessHandlers = (deps: IntentDeps): SchoollessHandlers => ({
  async schools(c) {
    if (c.admin.role !== 'region') return ownSchoolMenu(c);
    return reply(schoolsReply(await overview(c, deps)));
  },
  async pick_school(c, intent) {
    if (c.admin.role !== 'region') return intent.schoolId === c.admin.schoolId ? ownSchoolMenu(c) : toMenu(c, { text: t.noSchool });
    const picked = await c.repos.schoolAdmin.get(intent.schoolId);
    if (!picked) return reply({ text: t.noSchool });
    return { replies: [adminMenu(picked.name, { regional: true, notice: t.schoolPicked(picked.name) })], state: { ...c.state, schoolId: picked.id } };
  },
  page(c) {
    if (!deps.pageLinks) return reply({ text: t.pageUnavailable });
    const { url, expiresAt } = deps.pageLinks.linkFor(c.admin, c.now);
    return reply({ text: t.pageLink(url, formatDateTime(expiresAt, deps.timeZone), c.admin.role === 'region'), buttons: [[menuButton]] });
  },
  async teacher_mode(c) {
    const teacher = await c.repos.teachers.findByVkId(c.admin.vkId);
    if (!teacher) return reply({ text: t.notATeacher });
    return { replies: [{ text: t.teacherMode }], state: { ...c.state, teacherMode: true } };
  },
});

/** The regional table, each school's parents reached compared with its previous summary. */
export async function overview(c: AdminContext, deps: Pick<IntentDeps, 'checklist' | 'timeZone'>): Promise<SchoolOverview[]> {
  const schools = await c.repos.schoolAdmin.overview(reachFields(deps.checklist));
  const previous = await c.repos.snapshots.latestBefore(schools.map((school) => school.id), localDate(c.now, deps.timeZone));
  return schools.map((school) => {
    const before = previous.get(school.id)?.data.parents;
    return { ...school, parentsDelta: school.parents && before ? school.parents.joined - before.joined : null };
  });
}

/** A school administrator asking for schools gets their own school's menu. */
async function ownSchoolMenu(c: AdminContext): Promise<HandlerResult> {
  const own = c.admin.schoolId ? await c.repos.schoolAdmin.get(c.admin.schoolId) : null;
  return toMenu(c, own ? adminMenu(own.name, { regional: false }) : { text: t.noSchool });
}

/** Every admin change and export is audited: actor 'admin' and the administrator's VK id. */
function audit(c: SchoolContext, action: string, extra: { teacherId?: string | null; taskCode?: string; details?: Record<string, unknown> } = {}): Promise<void> {
  return c.repos.audit.append({
    schoolId: c.schoolId,
    teacherId: extra.teacherId ?? null,
    actor: 'admin',
    actorVkId: c.admin.vkId,
    action,
    taskCode: extra.taskCode ?? null,
    details: extra.details ?? null,
    at: c.now,
  });
}

const menu = (c: SchoolContext, notice?: string): Reply => adminMenu(c.settings.name, { regional: c.regional, notice });

/** Runs `work` on a teacher of this school; one that is gone (or of another school) gets "not found" and the menu. */
async function withTeacher(c: SchoolContext, teacherId: string, work: (teacher: RosterTeacher) => Promise<HandlerResult> | HandlerResult): Promise<HandlerResult> {
  const teacher = await c.repos.roster.find(c.schoolId, teacherId);
  return teacher ? work(teacher) : toMenu(c, noticeReply(t.notFound));
}

/** The roster import plan for `lines` against the school's roster now: what preview shows and apply does. */
async function planImport(c: SchoolContext, lines: RosterLine[]) {
  const roster = await c.repos.roster.list(c.schoolId);
  const elsewhere = await c.repos.roster.vkIdsElsewhere(c.schoolId, lines.flatMap((l) => (l.vkId === null ? [] : [l.vkId])));
  return planRoster(lines, roster, elsewhere);
}

/** The school tasks screen after recording one, read again so it shows the new state. */
async function schoolTasksAfter(c: SchoolContext, deps: IntentDeps, notice: string): Promise<HandlerResult> {
  return reply(schoolTasksReply((await c.repos.schoolAdmin.get(c.schoolId)) ?? c.settings, deps.timeZone, notice));
}

type TeacherStep = Extract<AdminStep, { kind: 'edit_teacher' | 'leave' | 'erase_confirm' }>;

/** The questions `ask` shows, by the step that waits for the answer (the steps about a teacher check the teacher first). */
const questions: { [K in Exclude<AdminStep['kind'], TeacherStep['kind'] | 'menu' | 'import_preview'>]: (c: SchoolContext) => Reply } = {
  await_import: () => askReply(t.importAsk),
  local_act: () => askReply(t.localActAsk),
  school_link: () => askReply(t.schoolLinkAsk),
  deadline: () => askReply(t.deadlineAsk),
  holidays: () => askReply(t.holidaysAsk),
  eo: (c) => askReply(t.eoAsk(c.settings.eoInstructions)),
  code_confirm: () => confirmReply(t.codeAsk, yesButton(t.codeYes, { a: 'ad_code_yes' })),
};

function askAboutTeacher(c: SchoolContext, step: TeacherStep, hint: string | undefined): Promise<HandlerResult> {
  return withTeacher(c, step.teacherId, (teacher) => {
    if (step.kind === 'edit_teacher') return reply(hinted(askReply(t.editAsk(teacher.fullName)), hint));
    if (step.kind === 'leave') return reply(hinted(askReply(t.leaveAsk), hint));
    return reply(hinted(confirmReply(t.eraseAsk(teacher.fullName), yesButton(t.eraseYes, { a: 'ad_erase_yes', t: teacher.id })), hint));
  });
}

const hinted = (question: Reply, hint: string | undefined): Reply => (hint ? { ...question, text: `${hint}\n\n${question.text}` } : question);

/** A school setting changed: stored, audited, and the settings screen shown with what it now says. */
async function settingChanged(c: SchoolContext, store: () => Promise<void>, action: string, details: Record<string, unknown>, shown: Partial<SchoolSettings>, notice: string): Promise<HandlerResult> {
  await store();
  await audit(c, action, { details });
  return reply(settingsReply({ ...c.settings, ...shown }, notice));
}

export function createSchoolHandlers(deps: IntentDeps): SchoolHandlers {
  const { checklist, timeZone, reports, reminder, renderer, botUrl, newJoinCode } = deps;
  return {
    menu: (c, intent) => reply(menu(c, intent.notice)),
    summary: async (c) => reply(...(await reports.summary(c.repos, c.schoolId, c.now))),
    laggards: async (c) => reply(...(await reports.laggards(c.repos, c.schoolId, c.now))),

    async remind(c) {
      const result = await reminder.remindNow(c.repos, c.schoolId, c.now);
      if ('closed' in result) return reply(noticeReply(t.remindClosed(result.closed.from, result.closed.to)));
      await audit(c, 'laggards_reminded', { details: { queued: result.queued } });
      return reply(noticeReply(t.remindReport(result)));
    },

    async export(c, intent) {
      const file = await exportFile({ checklist, timeZone, renderer }, c.repos, c.settings, intent.format, c.now, (teachers) =>
        audit(c, 'report_exported', { details: { format: intent.format, teachers } }),
      );
      const buttons: Button[][] = intent.format === 'xlsx' ? [[{ label: t.menu.exportCsv, payload: { a: 'ad_export_csv' } }, menuButton]] : [[menuButton]];
      return reply({ text: t.exportCaption(c.settings.name), files: [file], buttons });
    },

    school_tasks: (c) => reply(schoolTasksReply(c.settings, timeZone)),
    settings: (c) => reply(settingsReply(c.settings)),

    async poster(c) {
      const content = await renderer.startPoster({ schoolName: c.settings.name, botUrl, joinCode: c.settings.joinCode });
      return reply({ text: t.posterCaption, files: [{ kind: 'document', filename: 'start-bot-poster.pdf', content }], buttons: [[menuButton]] });
    },

    teachers: async (c, intent) => reply(teachersReply(await c.repos.roster.list(c.schoolId), intent.page)),
    teacher: (c, intent) => withTeacher(c, intent.teacherId, (teacher) => reply(teacherReply(checklist, teacher, timeZone))),
    audit: (c, intent) =>
      withTeacher(c, intent.teacherId, async (teacher) => reply(auditReply(checklist, teacher, await c.repos.auditLog.forTeacher(c.schoolId, teacher.id, 30), timeZone))),

    set_active: (c, intent) =>
      withTeacher(c, intent.teacherId, async (teacher) => {
        if (teacher.active !== intent.active) {
          await c.repos.roster.setActive(teacher.id, intent.active);
          await audit(c, intent.active ? 'teacher_activated' : 'teacher_deactivated', { teacherId: teacher.id });
        }
        return reply(noticeReply(intent.active ? t.activated : t.deactivated, 'teacher', teacher.id));
      }),

    ask(c, { step, hint }) {
      if (step.kind === 'edit_teacher' || step.kind === 'leave' || step.kind === 'erase_confirm') return askAboutTeacher(c, step, hint);
      if (step.kind === 'menu' || step.kind === 'import_preview') return reply(menu(c));
      return reply(hinted(questions[step.kind](c), hint));
    },

    async preview(c, intent) {
      const plan = await planImport(c, intent.lines);
      const problems = [...intent.problems, ...plan.problems].sort((a, b) => a.line - b.line);
      const applicable = plan.changes.some((change) => change.kind !== 'same');
      const step: AdminStep = applicable ? { kind: 'import_preview', lines: plan.changes.map((change) => change.line) } : { kind: 'menu' };
      return withStep(c, step, importPreviewReply(plan.changes, problems, intent.dataLines));
    },

    async apply(c, intent) {
      const plan = await planImport(c, intent.lines);
      let created = 0;
      let updated = 0;
      for (const change of plan.changes) {
        const entry = { schoolId: c.schoolId, actor: 'import' as const, actorVkId: c.admin.vkId, details: { classes: change.line.classes, line: change.line.line }, at: c.now };
        if (change.kind === 'new') {
          const id = await c.repos.roster.insert(c.schoolId, change.line);
          await c.repos.audit.append({ ...entry, teacherId: id, action: 'roster_added' });
          created += 1;
        } else if (change.kind === 'update') {
          await c.repos.roster.update(change.teacher.id, change.line);
          await c.repos.audit.append({ ...entry, teacherId: change.teacher.id, action: 'roster_updated' });
          updated += 1;
        }
      }
      return reply(menu(c, t.importApplied(created, updated, plan.changes.length - created - updated)));
    },

    nothing_to_apply: () => reply(noticeReply(t.importNothingPending)),
    roster_error: (_c, intent) => reply({ ...askReply(t.fileProblems[intent.problem]) }),

    async local_act(c, { number, date }) {
      await c.repos.schoolAdmin.recordTask(c.schoolId, 'local_act', { kind: 'local_act', number, date }, c.now, c.admin.vkId);
      await audit(c, 'school_task_done', { taskCode: 'local_act', details: { number, date } });
      return schoolTasksAfter(c, deps, t.localActRecorded(number, formatDate(date)));
    },

    async school_link(c, { note }) {
      await c.repos.schoolAdmin.recordTask(c.schoolId, 'school_link', { kind: 'school_link', note }, c.now, c.admin.vkId);
      await audit(c, 'school_task_done', { taskCode: 'school_link', details: { note } });
      return schoolTasksAfter(c, deps, t.schoolLinkRecorded);
    },

    async deadline(c, { date, back }) {
      await c.repos.schoolAdmin.setDeadline(c.schoolId, date);
      await audit(c, 'deadline_set', { details: { deadline: date } });
      // A past deadline is kept (the school may mean it) but never silently.
      const past = date !== null && date < localDate(c.now, timeZone);
      const notice = date ? `${t.deadlineSet(formatDate(date))}${past ? `\n${t.deadlinePast}` : ''}` : t.deadlineCleared;
      const updated = { ...c.settings, deadline: date };
      return reply(back === 'school_tasks' ? schoolTasksReply(updated, timeZone, notice) : settingsReply(updated, notice));
    },
    holidays: (c, { dates }) =>
      settingChanged(c, () => c.repos.schoolAdmin.setHolidays(c.schoolId, dates), 'holidays_set', { days: dates.length }, { holidays: dates }, dates.length > 0 ? t.holidaysSet(formatDateRanges(dates)) : t.holidaysCleared),
    eo: (c, { text }) =>
      settingChanged(c, () => c.repos.schoolAdmin.setEoInstructions(c.schoolId, text), 'eo_instructions_set', { length: text?.length ?? 0 }, { eoInstructions: text }, text ? t.eoSet : t.eoCleared),

    async rotate_code(c) {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const code = newJoinCode();
        if (await c.repos.schoolAdmin.rotateJoinCode(c.schoolId, code, c.now)) {
          await audit(c, 'join_code_rotated');
          return reply(settingsReply({ ...c.settings, joinCode: code }, t.codeRotated(code)));
        }
      }
      throw new Error('could not find a free join code');
    },

    edit: (c, intent) =>
      withTeacher(c, intent.teacherId, async (teacher) => {
        const vkId = intent.line.vkId ?? teacher.vkId;
        const roster = vkId === null ? [] : await c.repos.roster.list(c.schoolId);
        const taken = vkId !== null && (roster.some((x) => x.vkId === vkId && x.id !== teacher.id) || (await c.repos.roster.vkIdsElsewhere(c.schoolId, [vkId])).has(vkId));
        if (taken) {
          return withStep(c, { kind: 'edit_teacher', teacherId: teacher.id }, askReply(`${t.rosterProblems.vk_taken}.\n\n${t.editAsk(teacher.fullName)}`));
        }
        await c.repos.roster.update(teacher.id, { ...intent.line, vkId });
        await audit(c, 'roster_updated', { teacherId: teacher.id, details: { classes: intent.line.classes } });
        return reply(noticeReply(t.edited, 'teacher', teacher.id));
      }),

    leave: (c, { teacherId, until }) =>
      withTeacher(c, teacherId, async (teacher) => {
        await c.repos.roster.setLeave(teacher.id, until);
        await audit(c, until ? 'leave_set' : 'leave_cleared', { teacherId: teacher.id, ...(until ? { details: { until } } : {}) });
        return reply(noticeReply(until ? t.leaveSet(formatDate(until)) : t.leaveCleared, 'teacher', teacher.id));
      }),

    erase: (c, intent) =>
      withTeacher(c, intent.teacherId, async (teacher) => {
        const result = await c.repos.roster.erase(teacher.id, c.now);
        await audit(c, 'data_erased', { teacherId: teacher.id, details: { by: 'admin', completionsKept: result.completionsKept } });
        return reply(noticeReply(t.erased));
      }),

    stale: () => reply(noticeReply(t.stale)),
  };
}
