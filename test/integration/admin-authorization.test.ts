import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEntryPoints } from '../../src/domain/admin/commands.js';
import type { AdminAction } from '../../src/domain/admin/payload.js';
import { adminActions } from '../../src/domain/admin/payload.js';
import { adminTexts } from '../../src/domain/admin/texts.js';
import { texts as teacherTexts } from '../../src/domain/conversation/texts.js';
import type { Input, Reply } from '../../src/domain/model.js';
import type { Payload } from '../../src/domain/payload.js';
import { admins, auditLog, classes, schoolHolidays, schoolTasks, schools, taskCompletions, teachers } from '../../src/db/schema.js';
import { type AdminWorld, createAdminWorld, press, text } from '../support/admin-driver.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';

/**
 * The authorization matrix: every admin button and text command (from the one list the code
 * exports) × {administrator of school A, administrator of school B, a teacher of school A, a
 * stranger}. Only the first may act on school A or see anything of it.
 */

let database: TestDatabase;
let world: AdminWorld;
const now = new Date('2026-09-10T10:00:00+03:00');

beforeAll(async () => {
  database = await createTestDatabase();
  world = createAdminWorld(database.db, () => now);
});
afterAll(() => database.destroy());

/** Strings that exist only in school A's data: none may reach a sender other than A's administrator. */
const SECRETS = ['Тайнова', 'Секретова', 'Гимназия «Тайна»', 'СЕКРЕТ-5', 'TAINA', 'SecretChatToken', 'Тайная инструкция'];

let seq = 0;
interface Scene {
  schoolA: string;
  schoolB: string;
  adminA: number;
  adminB: number;
  teacherA: number;
  stranger: number;
  /** A teacher of school A with completions: the target of every teacher button. */
  targetId: string;
}

async function seed(): Promise<Scene> {
  seq += 1;
  const base = 100_000 * seq;
  const db = database.db;
  const [a] = await db
    .insert(schools)
    .values({ slug: `a${seq}`, name: `Гимназия «Тайна» ${seq}`, joinCode: `TAINA-${seq}`, deadline: '2026-09-15', eoInstructions: 'Тайная инструкция' })
    .returning();
  const [b] = await db.insert(schools).values({ slug: `b${seq}`, name: `Лицей ${seq}`, joinCode: `LICEY-${seq}` }).returning();
  await db.insert(admins).values([
    { vkId: base + 1, schoolId: a!.id, role: 'school' },
    { vkId: base + 2, schoolId: b!.id, role: 'school' },
  ]);
  const [teacherA, target] = await db
    .insert(teachers)
    .values([
      { schoolId: a!.id, vkId: base + 3, fullName: 'Секретова Алла Борисовна', startedAt: now },
      { schoolId: a!.id, vkId: base + 5, fullName: 'Тайнова Вера Ильинична', startedAt: now },
    ])
    .returning();
  await db.insert(teachers).values({ schoolId: b!.id, vkId: base + 6, fullName: 'Открытова Ольга Олеговна' });
  await db.insert(classes).values([
    { schoolId: a!.id, teacherId: teacherA!.id, name: '5А' },
    { schoolId: a!.id, teacherId: target!.id, name: '7Б' },
  ]);
  await db.insert(taskCompletions).values([
    { schoolId: a!.id, teacherId: target!.id, taskCode: 'messengers', status: 'done', evidence: { kind: 'confirm' }, completedAt: now },
    {
      schoolId: a!.id,
      teacherId: target!.id,
      taskCode: 'chats',
      className: '7Б',
      status: 'done',
      evidence: { kind: 'links', links: { with_teacher: 'https://vk.me/join/SecretChatToken1', parents_only: 'https://vk.me/join/SecretChatToken2' } },
      completedAt: now,
    },
  ]);
  await db.insert(schoolTasks).values({ schoolId: a!.id, taskCode: 'local_act', evidence: { kind: 'local_act', number: 'СЕКРЕТ-5', date: '2026-09-01' }, completedAt: now });
  await db.insert(schoolHolidays).values({ schoolId: a!.id, date: '2026-11-04' });
  await db.insert(auditLog).values({ schoolId: a!.id, teacherId: target!.id, actor: 'teacher', actorVkId: base + 5, action: 'task_done', taskCode: 'messengers' });
  // The teacher sender has been through registration: they are in the menu.
  await world.say(base + 3, text('Здравствуйте'));
  return { schoolA: a!.id, schoolB: b!.id, adminA: base + 1, adminB: base + 2, teacherA: base + 3, stranger: base + 4, targetId: target!.id };
}

/** Everything of school A a command could change (last_seen_at aside: any message moves it). */
async function snapshot(schoolId: string): Promise<string> {
  const db = database.db;
  const rows = await Promise.all([
    db.select({ id: teachers.id, vkId: teachers.vkId, name: teachers.fullName, active: teachers.active, leave: teachers.leaveUntil, erased: teachers.erasedAt }).from(teachers).where(eq(teachers.schoolId, schoolId)).orderBy(teachers.id),
    db.select({ teacherId: classes.teacherId, name: classes.name }).from(classes).where(eq(classes.schoolId, schoolId)).orderBy(classes.teacherId, classes.name),
    db.select().from(taskCompletions).where(eq(taskCompletions.schoolId, schoolId)).orderBy(taskCompletions.id),
    db.select().from(schools).where(eq(schools.id, schoolId)),
    db.select().from(schoolHolidays).where(eq(schoolHolidays.schoolId, schoolId)),
    db.select().from(schoolTasks).where(eq(schoolTasks.schoolId, schoolId)),
    db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.schoolId, schoolId)),
  ]);
  return JSON.stringify(rows);
}

/** All text a sender received, including the contents of any file. */
async function everythingSeen(replies: Reply[]): Promise<string> {
  const parts: string[] = [];
  for (const reply of replies) {
    parts.push(reply.text, JSON.stringify(reply.buttons ?? []));
    for (const file of reply.files ?? []) {
      if (file.filename.endsWith('.xlsx')) {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(Buffer.from(file.content) as unknown as ExcelJS.Buffer);
        workbook.eachSheet((sheet) => sheet.eachRow((row) => parts.push(JSON.stringify(row.values))));
      } else if (file.filename.endsWith('.pdf')) {
        const { PDFParse } = await import('pdf-parse');
        const parser = new PDFParse({ data: new Uint8Array(file.content) });
        parts.push((await parser.getText()).text);
        await parser.destroy();
      } else {
        parts.push(new TextDecoder().decode(file.content));
      }
    }
  }
  return parts.join('\n');
}

/** The button a probe presses, filled with school A's ids. */
function payloadFor(action: AdminAction, scene: Scene): Payload {
  switch (action) {
    case 'ad_school':
      return { a: action, s: scene.schoolA };
    case 'ad_teachers':
      return { a: action, p: 0 };
    case 'ad_teacher':
    case 'ad_edit':
    case 'ad_leave':
    case 'ad_deactivate':
    case 'ad_activate':
    case 'ad_erase':
    case 'ad_erase_yes':
    case 'ad_audit':
      return { a: action, t: scene.targetId };
    default:
      return { a: action } as Payload;
  }
}

/** Steps before the probe, for commands that confirm or answer an earlier one; every sender sends them. */
const setups: Partial<Record<AdminAction, (scene: Scene) => Input[]>> = {
  ad_import_apply: () => [text('импорт\nНовикова Вера Павловна; ; 6Б')],
  ad_code_yes: () => [press({ a: 'ad_code' })],
  ad_erase_yes: (scene) => [press({ a: 'ad_erase', t: scene.targetId })],
};

/** What school A's administrator must achieve, beyond not being refused. */
const effects: Partial<Record<AdminAction, (scene: Scene, seen: string) => Promise<void>>> = {
  ad_summary: async (_s, seen) => expect(seen).toContain('Учителей: 2'),
  ad_laggards: async (_s, seen) => expect(seen).toContain('Тайнова В. И.'),
  ad_teachers: async (_s, seen) => expect(seen).toContain('Секретова А. Б.'),
  ad_teacher: async (_s, seen) => expect(seen).toContain('SecretChatToken1'),
  ad_export_xlsx: async (_s, seen) => expect(seen).toContain('SecretChatToken2'),
  ad_export_csv: async (_s, seen) => expect(seen).toContain('Тайнова Вера Ильинична'),
  ad_school_tasks: async (_s, seen) => expect(seen).toContain('СЕКРЕТ-5'),
  ad_settings: async (_s, seen) => expect(seen).toContain('TAINA-'),
  ad_poster: async (_s, seen) => expect(seen).toContain('TAINA-'),
  ad_audit: async (_s, seen) => expect(seen).toContain('выполнил задание'),
  ad_remind: async (scene) => expect(world.reminded).toContain(scene.schoolA),
  ad_import_apply: async (scene) => {
    const rows = await database.db.select().from(teachers).where(eq(teachers.fullName, 'Новикова Вера Павловна'));
    expect(rows.filter((row) => row.schoolId === scene.schoolA)).toHaveLength(1);
  },
  ad_code_yes: async (scene) => {
    const [school] = await database.db.select().from(schools).where(eq(schools.id, scene.schoolA));
    expect(school?.joinCode).toMatch(/^NEW/);
  },
  ad_deactivate: async (scene) => {
    const [row] = await database.db.select().from(teachers).where(eq(teachers.id, scene.targetId));
    expect(row?.active).toBe(false);
  },
  ad_erase_yes: async (scene) => {
    const [row] = await database.db.select().from(teachers).where(eq(teachers.id, scene.targetId));
    expect(row?.erasedAt).not.toBeNull();
  },
};

const REFUSALS = [teacherTexts.adminOnly, adminTexts.notFound, adminTexts.stale, adminTexts.noSchool];
const senders = ['admin of another school', 'teacher', 'stranger'] as const;
const results = { cases: 0, passed: 0 };

describe('authorization matrix', () => {
  it('covers every admin button of the payload union', () => {
    expect(new Set(adminEntryPoints.filter((e) => e.kind === 'payload').map((e) => (e.kind === 'payload' ? e.action : '')))).toEqual(new Set(adminActions));
    expect(adminEntryPoints.length).toBeGreaterThan(40);
  });

  it.each(adminEntryPoints.map((entry) => [entry.kind === 'payload' ? `button ${entry.action}` : `text «${entry.text}»`, entry] as const))(
    '%s: only the administrator of the school acts; the others see nothing of it',
    async (_name, entry) => {
      const scene = await seed();
      const probe = (): Input => (entry.kind === 'payload' ? press(payloadFor(entry.action, scene)) : text(entry.text));
      const action = entry.kind === 'payload' ? entry.action : undefined;
      const steps = [...(action ? (setups[action]?.(scene) ?? []) : []), probe()];

      for (const sender of senders) {
        results.cases += 1;
        const vkId = sender === 'teacher' ? scene.teacherA : sender === 'stranger' ? scene.stranger + results.cases : scene.adminB;
        const before = await snapshot(scene.schoolA);
        const replies: Reply[] = [];
        for (const step of steps) replies.push(...(await world.say(vkId, step)).replies);
        const seen = await everythingSeen(replies);
        for (const secret of SECRETS) expect(seen, `${sender} saw «${secret}»`).not.toContain(secret);
        expect(await snapshot(scene.schoolA), `${sender} changed school A`).toBe(before);
        if (sender !== 'admin of another school') {
          expect(replies.at(-1)?.text.startsWith(teacherTexts.adminOnly), `${sender}: ${replies.at(-1)?.text}`).toBe(true);
          expect(replies.flatMap((r) => r.files ?? [])).toEqual([]);
          // Not even how many teachers there are.
          expect(seen).not.toMatch(/Учителей: \d/);
        }
        results.passed += 1;
      }

      results.cases += 1;
      const replies: Reply[] = [];
      for (const step of steps) replies.push(...(await world.say(scene.adminA, step)).replies);
      const last = replies.at(-1)!;
      expect(REFUSALS.some((refusal) => last.text.startsWith(refusal)), last.text).toBe(false);
      if (action) await effects[action]?.(scene, await everythingSeen(replies));
      results.passed += 1;
    },
  );

  it('reports its size', () => {
    // 4 senders for every entry point; printed for the closing note.
    expect(results).toEqual({ cases: adminEntryPoints.length * 4, passed: adminEntryPoints.length * 4 });
    console.info(`authorization matrix: ${adminEntryPoints.length} entry points × 4 senders = ${results.cases} cases, ${results.passed} passed`);
  });
});
