import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncConfiguredAdmins } from '../../src/db/repositories/admins.js';
import { upsertConfiguredSchool } from '../../src/db/repositories/schools.js';
import { admins, auditLog, classes, conversations, outbox, schoolHolidays, schools, summarySnapshots, taskCompletions, teachers } from '../../src/db/schema.js';
import { type AdminWorld, createAdminWorld, doc, press, text } from '../support/admin-driver.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';
import { seedTeachers } from '../support/seed.js';

let database: TestDatabase;
let world: AdminWorld;
const now = new Date('2026-09-10T10:00:00+03:00');
let seq = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  world = createAdminWorld(database.db, () => now);
});
afterAll(() => database.destroy());

/** A school with its administrator; ids unique per call. */
async function school(name = 'МКОУ «СОШ №4»') {
  seq += 1;
  const [row] = await database.db.insert(schools).values({ slug: `s${seq}`, name: `${name} ${seq}`, joinCode: `CODE-${seq}-${randomUUID().slice(0, 4)}` }).returning();
  const adminVk = 500_000 + seq * 100;
  await database.db.insert(admins).values({ vkId: adminVk, schoolId: row!.id, role: 'school' });
  const say = async (input: Parameters<AdminWorld['say']>[1]) => (await world.say(adminVk, input)).replies;
  const lastText = async (input: Parameters<AdminWorld['say']>[1]) => (await say(input)).map((r) => r.text).join('\n---\n');
  return { id: row!.id, joinCode: row!.joinCode, adminVk, say, lastText, vk: (n: number) => adminVk + n };
}

const roster = (schoolId: string) => database.db.select().from(teachers).where(eq(teachers.schoolId, schoolId));
const classesOf = async (teacherId: string) => (await database.db.select().from(classes).where(eq(classes.teacherId, teacherId))).map((c) => c.name).sort();

describe('roster import', () => {
  it('previews good, bad and repeated pasted lines, applies once, and a second apply changes nothing', async () => {
    const s = await school();
    const other = await school('Лицей');
    await database.db.insert(teachers).values({ schoolId: other.id, vkId: s.vk(9), fullName: 'Чужой Учитель Иванович' });
    world.users.set('petrov_is', s.vk(2));
    const lines = [
      'ФИО; VK; Классы',
      `Иванова Мария Петровна; vk.com/id${s.vk(1)}; 5а, 7Б`,
      'Петров Иван Сергеевич; https://vk.com/petrov_is;',
      'Сидорова Анна Ивановна; ; 3В',
      'Smith John; 123; 5А',
      `Кузнецова Ольга Олеговна; vk.com/id${s.vk(1)}; 6А`,
      'Омаров Руслан Алиевич; vk.com/nobody_here; 4Б',
      'Алиева Патимат Магомедовна; 12345; 12А',
      `Гаджиев Али Магомедович; ${s.vk(9)}; 9А`,
      'одно поле',
    ].join('\n');
    expect(await s.lastText(press({ a: 'ad_import' }))).toContain('Пришлите список учителей');
    const preview = await s.say(text(lines));
    expect(preview[0]?.text).toContain('строк с данными — 9');
    expect(preview[0]?.text).toContain('Новых учителей: 3\nИзменится: 0\nБез изменений: 0\nСтрок с ошибками: 6');
    expect(preview[0]?.text).toContain(
      `Будут добавлены:\n• Иванова Мария Петровна, vk.com/id${s.vk(1)}, 5А, 7Б\n• Петров Иван Сергеевич, vk.com/id${s.vk(2)}, без своего класса\n• Сидорова Анна Ивановна, 3В`,
    );
    for (const error of [
      'стр. 5: ФИО русскими буквами («Smith John»)',
      'стр. 6: повтор строки выше',
      'стр. 7: такой страницы ВКонтакте нет («nobody_here»)',
      'стр. 8: классы пишутся так: 5А, 7Б («12А»)',
      `стр. 9: эта страница ВКонтакте уже у другого учителя («${s.vk(9)}»)`,
      'стр. 10: нужно три поля через «;»: ФИО; страница ВКонтакте; классы («одно поле»)',
    ]) {
      expect(preview[0]?.text).toContain(error);
    }
    expect(preview[0]?.buttons?.flat().map((b) => b.label)).toEqual(['Применить', 'Отмена']);
    expect(await roster(s.id)).toHaveLength(0);

    expect(await s.lastText(press({ a: 'ad_import_apply' }))).toContain('Добавлено: 3, обновлено: 0, без изменений: 0');
    const rows = await roster(s.id);
    expect(rows.map((r) => [r.fullName, r.vkId]).sort()).toEqual([
      ['Иванова Мария Петровна', s.vk(1)],
      ['Петров Иван Сергеевич', s.vk(2)],
      ['Сидорова Анна Ивановна', null],
    ]);
    expect(await classesOf(rows.find((r) => r.vkId === s.vk(1))!.id)).toEqual(['5А', '7Б']);
    const audits = await database.db.select().from(auditLog).where(and(eq(auditLog.schoolId, s.id), eq(auditLog.action, 'roster_added')));
    expect(audits).toHaveLength(3);
    expect(audits.every((a) => a.actor === 'import' && a.actorVkId === s.adminVk)).toBe(true);

    // Applying the same list again: nothing to do, no duplicates, no new audit entries.
    await s.say(press({ a: 'ad_import' }));
    const again = await s.lastText(text(lines));
    expect(again).toContain('Новых учителей: 0\nИзменится: 0\nБез изменений: 3');
    expect(await s.lastText(press({ a: 'ad_import_apply' }))).toContain('Нет списка для применения');
    expect(await roster(s.id)).toHaveLength(3);
    expect(await database.db.select().from(auditLog).where(and(eq(auditLog.schoolId, s.id), eq(auditLog.action, 'roster_added')))).toHaveLength(3);

    // A changed line updates the teacher in place; a line without VK id matches by name.
    const changed = await s.lastText(text(`импорт\nИванова Мария Петровна; ${s.vk(1)}; 5А\nСидорова Анна Ивановна;;3В, 4В`));
    expect(changed).toContain('Новых учителей: 0\nИзменится: 2');
    // Each person and each change is named before anything is applied (issue 13, item 17).
    expect(changed).toContain('Изменится:\n• Иванова Мария Петровна: ⚠️ уберутся классы 7Б\n• Сидорова Анна Ивановна: добавятся классы 4В');
    expect(await s.lastText(press({ a: 'ad_import_apply' }))).toContain('Добавлено: 0, обновлено: 2, без изменений: 0');
    const after = await roster(s.id);
    expect(after).toHaveLength(3);
    expect(await classesOf(after.find((r) => r.vkId === s.vk(1))!.id)).toEqual(['5А']);
    expect(await classesOf(after.find((r) => r.fullName === 'Сидорова Анна Ивановна')!.id)).toEqual(['3В', '4В']);
  });

  it('reads a CSV document in Windows-1251 and refuses files that are too big or not a roster', async () => {
    const s = await school();
    const csv = `ФИО;VK;Классы\r\nЛебедева Нина Павловна;id${s.vk(3)};"8А, 8Б"\r\n`;
    const cp1251 = Buffer.from([...csv].map((ch) => {
      const code = ch.charCodeAt(0);
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      return code;
    }));
    world.files.set('http://files.test/roster.csv', cp1251);
    const preview = await s.lastText(doc('http://files.test/roster.csv', 'roster.csv', cp1251.length));
    expect(preview).toContain('Новых учителей: 1');
    await s.say(press({ a: 'ad_import_apply' }));
    const [row] = await roster(s.id);
    expect(row?.fullName).toBe('Лебедева Нина Павловна');
    expect(await classesOf(row!.id)).toEqual(['8А', '8Б']);

    expect(await s.lastText(doc('http://files.test/huge.xlsx', 'huge.xlsx', 5 * 1024 * 1024))).toContain('Файл слишком большой');
    expect(await s.lastText(doc('http://files.test/photo.jpg', 'photo.jpg', 100))).toContain('Нужен файл XLSX или CSV');
    world.files.set('http://files.test/broken.xlsx', new TextEncoder().encode('not a zip'));
    expect(await s.lastText(doc('http://files.test/broken.xlsx', 'broken.xlsx', 9))).toContain('Не смог прочитать файл');
    expect(await s.lastText(doc('http://files.test/missing.csv', 'missing.csv', 9))).toContain('Не удалось скачать файл');
  });

  it('a redelivered roster file is not downloaded or parsed again', async () => {
    const s = await school();
    await s.say(press({ a: 'ad_import' }));
    world.files.set('http://files.test/list.csv', new TextEncoder().encode('Белова Дина Руслановна;;2А\n'));
    const input = doc('http://files.test/list.csv', 'list.csv', 30);
    const first = await world.service.handle({ eventId: 'doc-event-1', vkUserId: s.adminVk, input });
    expect(first.replies.map((r) => r.text).join('\n')).toContain('Новых учителей: 1');
    const again = await world.service.handle({ eventId: 'doc-event-1', vkUserId: s.adminVk, input });
    expect(again).toMatchObject({ duplicate: true, replies: [] });
    expect(world.fetched.filter((url) => url === 'http://files.test/list.csv')).toHaveLength(1);
  });

  it('the public join code and a rostered name do not open that roster row; only its personal code does', async () => {
    const s = await school();
    await s.say(text('импорт\nБелова Дина Руслановна;;2А'));
    await s.say(press({ a: 'ad_import_apply' }));
    const [row] = await roster(s.id);
    expect(row?.claimCode).toMatch(/^[0-9A-F]{10}$/);
    const code = row!.claimCode!;
    // The teacher card shows the code to hand out.
    expect(await s.lastText(press({ a: 'ad_teacher', t: row!.id }))).toContain(`Личный код для входа в бот: ${code.slice(0, 5)}-${code.slice(5)}`);

    // A stranger who read the join code off a poster and knows the name gets nowhere near the row.
    const stranger = s.vk(6);
    await world.say(stranger, text('Здравствуйте'));
    await world.say(stranger, text(s.joinCode));
    const refused = await world.say(stranger, text('белова дина руслановна'));
    expect(refused.replies.map((r) => r.text).join('\n')).toContain('Учитель с такими ФИО уже есть в списке школы');
    expect(await roster(s.id)).toMatchObject([{ id: row!.id, vkId: null, claimCode: code }]);
    // A wrong personal code is a wrong code.
    expect((await world.say(stranger, text('0000000000'))).replies.map((r) => r.text).join('\n')).toContain('Код не подошёл');

    // The teacher writes the code the administrator handed out (typed with dashes, Cyrillic С and В).
    const teacherVk = s.vk(7);
    await world.say(teacherVk, text('Здравствуйте'));
    const typed = `${code.slice(0, 5)}-${code.slice(5)}`.toLowerCase().replaceAll('c', 'С').replaceAll('b', 'В');
    const greeted = await world.say(teacherVk, text(typed));
    expect(greeted.replies.map((r) => r.text).join('\n')).toContain('Здравствуйте, Дина Руслановна!');
    expect(await roster(s.id)).toMatchObject([{ id: row!.id, vkId: teacherVk, claimCode: null, fullName: 'Белова Дина Руслановна' }]);
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.teacherId, row!.id));
    expect(audits.filter((a) => a.action === 'claimed')).toMatchObject([{ actor: 'teacher', actorVkId: teacherVk }]);
    // Used up: the same code opens nothing for anybody else.
    await world.say(s.vk(8), text('Здравствуйте'));
    expect((await world.say(s.vk(8), text(code))).replies.map((r) => r.text).join('\n')).toContain('Код не подошёл');
  });

  it('a self-erasure keeps who did what as a pseudonym, never the VK id, and never drops the actor', async () => {
    const s = await school();
    const vk = s.vk(9);
    await world.say(vk, text('Здравствуйте'));
    await world.say(vk, text(s.joinCode));
    await world.say(vk, text('Орлова Ольга Олеговна'));
    await world.say(vk, press({ a: 'no_classes' }));
    await world.say(vk, press({ a: 'done', t: 'messengers' }));
    await world.say(vk, press({ a: 'forget' }));
    await world.say(vk, press({ a: 'forget_yes' }));
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.schoolId, s.id));
    const own = audits.filter((a) => a.actor === 'teacher');
    expect(own.map((a) => a.action)).toEqual(expect.arrayContaining(['registered', 'task_done', 'data_erased']));
    for (const entry of own) {
      expect(entry.actorVkId).toBeNull();
      expect(entry.actorRef).toMatch(/^vk#[0-9a-f]{16}$/);
    }
    // One person, one pseudonym: the entries stay linkable, and a suspected id can be checked.
    expect(new Set(own.map((a) => a.actorRef)).size).toBe(1);
    expect(JSON.stringify(audits)).not.toContain(String(vk));
  });
});

describe('views, teacher management and school settings', () => {
  async function withTeachers() {
    const s = await school();
    await s.say(text(`импорт\nИванова Мария Петровна; ${s.vk(1)}; 5А\nПетров Иван Сергеевич; ${s.vk(2)}; нет`));
    await s.say(press({ a: 'ad_import_apply' }));
    const [maria, ivan] = (await roster(s.id)).sort((a, b) => a.fullName.localeCompare(b.fullName));
    return { s, maria: maria!, ivan: ivan! };
  }

  it('shows one teacher with each task, its evidence, dates and reasons for "not applicable"', async () => {
    const { s, maria, ivan } = await withTeachers();
    await world.say(s.vk(1), text('Здравствуйте'));
    await world.say(s.vk(1), press({ a: 'done', t: 'messengers' }));
    await world.say(s.vk(1), text('https://vk.me/join/AbcDefGhi123'));
    await world.say(s.vk(1), text('https://sferum.ru/?p=messages&join=XyzXyzXyz789'));
    await world.say(s.vk(2), text('Здравствуйте'));
    await world.say(s.vk(2), press({ a: 'done', t: 'messengers' }));
    await world.say(s.vk(2), press({ a: 'na', t: 'only_sferum' }));
    await world.say(s.vk(2), text('Не работаю с родителями'));

    const detail = await s.lastText(press({ a: 'ad_teacher', t: maria.id }));
    expect(detail).toContain('Иванова Мария Петровна');
    expect(detail).toContain(`Страница ВКонтакте: vk.com/id${s.vk(1)}`);
    expect(detail).toContain('✅ Отказ от иностранных мессенджеров — 10.09.2026 10:00');
    expect(detail).toContain('5А: Родители с учителем: https://vk.me/join/AbcDefGhi123; Родители без учителя: https://sferum.ru/?p=messages&join=XyzXyzXyz789');
    expect(detail).toContain('⬜ QR-коды чатов в классе');
    const ivanDetail = await s.lastText(press({ a: 'ad_teacher', t: ivan.id }));
    expect(ivanDetail).toContain('➖ Общение только через Сферум — не относится: Не работаю с родителями');
    expect(ivanDetail).toContain('➖ Родительские чаты в Сферуме — не относится (нет своего класса)');

    const laggards = await s.lastText(text('отстающие'));
    expect(laggards).toContain('Отстают — 2:');
    expect(laggards).toContain('• Иванова М. П. — не сделаны 3, 4, 5, 6');
    expect(laggards).toContain('3. QR-коды чатов в классе');

    const log = await s.lastText(press({ a: 'ad_audit', t: ivan.id }));
    expect(log).toContain('10.09.2026 10:00 · учитель · отметил «не относится» «Задание 5 (п. 4). Общение только через Сферум»');
  });

  it('edits a teacher, marks leave, deactivates and brings back; each change is audited', async () => {
    const { s, maria } = await withTeachers();
    expect(await s.lastText(press({ a: 'ad_edit', t: maria.id }))).toContain('Пришлите новую строку для «Иванова Мария Петровна»');
    expect(await s.lastText(text(`Иванова Мария Петровна; ${s.vk(2)}; 5А`))).toContain('эта страница ВКонтакте уже у другого учителя');
    expect(await s.lastText(text(`Иванова-Смирнова Мария Петровна; ${s.vk(1)}; 6А`))).toContain('Данные учителя обновлены');
    const [edited] = await database.db.select().from(teachers).where(eq(teachers.id, maria.id));
    expect(edited?.fullName).toBe('Иванова-Смирнова Мария Петровна');
    expect(await classesOf(maria.id)).toEqual(['6А']);

    await s.say(press({ a: 'ad_leave', t: maria.id }));
    expect(await s.lastText(text('31.02.2026'))).toContain('Не понял дату');
    expect(await s.lastText(text('до 30.09.2026'))).toContain('Отпуск отмечен по 30.09.2026');
    expect((await database.db.select().from(teachers).where(eq(teachers.id, maria.id)))[0]?.leaveUntil).toBe('2026-09-30');
    // Neither teacher has written to the bot yet: they are listed as such, under the new name.
    expect(await s.lastText(text('отстающие'))).toContain('Ещё не писали боту — 2: Иванова-Смирнова М. П., Петров И. С.');

    await s.say(press({ a: 'ad_deactivate', t: maria.id }));
    expect((await database.db.select().from(teachers).where(eq(teachers.id, maria.id)))[0]?.active).toBe(false);
    expect(await s.lastText(text('сводка'))).toContain('Учителей: 1');
    await s.say(press({ a: 'ad_activate', t: maria.id }));
    expect((await database.db.select().from(teachers).where(eq(teachers.id, maria.id)))[0]?.active).toBe(true);

    const actions = (await database.db.select().from(auditLog).where(and(eq(auditLog.teacherId, maria.id), eq(auditLog.actor, 'admin')))).map((a) => a.action);
    expect(actions).toEqual(['roster_updated', 'leave_set', 'teacher_deactivated', 'teacher_activated']);
  });

  it('sets the deadline, holidays, the eo_link instructions teachers then read, and the school link', async () => {
    const { s } = await withTeachers();
    // A first «Здравствуйте» is greeted with the menu (issue 13, item 14).
    const hello = await s.lastText(text('Здравствуйте'));
    expect(hello).toContain('Здравствуйте!');
    expect(hello).not.toContain('Не понял');
    await s.say(press({ a: 'ad_deadline' }));
    expect(await s.lastText(text('15.09.2026'))).toContain('Срок установлен: 15.09.2026');
    expect(await s.lastText(text('15.09.2026'))).not.toContain('уже прошла');
    // A past deadline is accepted with a warning; opened from «Школьные задачи» it goes back there (item 15).
    await s.say(press({ a: 'ad_deadline', b: 'school_tasks' }));
    const past = await s.lastText(text('1 сентября 2026'));
    expect(past).toContain('Срок установлен: 01.09.2026.\n⚠️ Эта дата уже прошла');
    expect(past).toContain('Задачи школы по приказу:');
    await s.say(press({ a: 'ad_deadline' }));
    await s.say(text('15.09.2026'));
    await s.say(press({ a: 'ad_holidays' }));
    expect(await s.lastText(text('03.11.2026–01.11.2026'))).toContain('Конец периода раньше начала');
    expect(await s.lastText(text('26.10.2026–03.11.2026, 30.12.2026'))).toContain('Записал: 26.10.2026–03.11.2026, 30.12.2026');
    const holidays = await database.db.select().from(schoolHolidays).where(eq(schoolHolidays.schoolId, s.id));
    expect(holidays).toHaveLength(10);
    await s.say(press({ a: 'ad_eo' }));
    expect(await s.lastText(text('Откройте es.e-dag.ru, войдите через Госуслуги, раздел «Профиль» → «Сферум».'))).toContain('Инструкция сохранена');
    await s.say(press({ a: 'ad_school_link' }));
    expect(await s.lastText(text('готово'))).toContain('связь школы с «Электронным образованием Дагестана» отмечена');

    await world.say(s.vk(1), text('Здравствуйте'));
    const eo = (await world.say(s.vk(1), press({ a: 'redo', t: 'eo_link' }))).replies.map((r) => r.text).join('\n');
    expect(eo).toContain('Инструкция школы:\nОткройте es.e-dag.ru, войдите через Госуслуги');

    const settings = await s.lastText(press({ a: 'ad_settings' }));
    expect(settings).toContain('Срок: 15.09.2026');
    expect(settings).toContain('Нерабочие дни школы (кроме государственных праздников): 26.10.2026–03.11.2026, 30.12.2026. Праздники Дагестана — 15 сентября, Ураза-байрам и Курбан-байрам — внесены сюда заранее');
    const actions = (await database.db.select().from(auditLog).where(and(eq(auditLog.schoolId, s.id), eq(auditLog.actor, 'admin')))).map((a) => a.action);
    expect(actions).toEqual(['deadline_set', 'deadline_set', 'deadline_set', 'holidays_set', 'eo_instructions_set', 'school_task_done']);
  });

  it('a rotated join code survives a restart that re-applies SCHOOL_JOIN_CODE; the old code stops working', async () => {
    const configured = await upsertConfiguredSchool(database.db, { slug: 'rotating', name: 'Школа с кодом', joinCode: 'OLDCODE-1' });
    const adminVk = 900_001;
    await syncConfiguredAdmins(database.db, configured.id, { school: [adminVk], region: [] });
    await world.say(adminVk, press({ a: 'ad_code' }));
    const rotated = (await world.say(adminVk, press({ a: 'ad_code_yes' }))).replies[0]!.text;
    const code = /Новый код школы: (\S+)/.exec(rotated)?.[1];
    expect(code).toMatch(/^NEW/);
    await upsertConfiguredSchool(database.db, { slug: 'rotating', name: 'Школа с кодом', joinCode: 'OLDCODE-1' });
    expect((await database.db.select().from(schools).where(eq(schools.id, configured.id)))[0]?.joinCode).toBe(code);
    const stranger = 900_002;
    await world.say(stranger, text('Привет'));
    expect((await world.say(stranger, text('OLDCODE-1'))).replies[0]?.text).toContain('Код не подошёл');
    expect((await world.say(stranger, text(code!))).replies[0]?.text).toContain('Код принят');
  });

  it('an administrator action delivered twice takes effect once', async () => {
    const { s, maria } = await withTeachers();
    const eventId = randomUUID();
    await world.service.handle({ eventId, vkUserId: s.adminVk, input: press({ a: 'ad_deactivate', t: maria.id }) });
    await database.db.update(teachers).set({ active: true }).where(eq(teachers.id, maria.id));
    const second = await world.service.handle({ eventId, vkUserId: s.adminVk, input: press({ a: 'ad_deactivate', t: maria.id }) });
    expect(second).toMatchObject({ duplicate: true, replies: [] });
    expect((await database.db.select().from(teachers).where(eq(teachers.id, maria.id)))[0]?.active).toBe(true);
  });

  it('an administrator who also teaches switches to their checklist with «учитель» and back with «админ»', async () => {
    const s = await school();
    await s.say(text(`импорт\nДиректорова Зоя Петровна; ${s.adminVk}; 11А`));
    await s.say(press({ a: 'ad_import_apply' }));
    expect(await s.lastText(text('учитель'))).toContain('Вы в меню учителя');
    expect(await s.lastText(text('Здравствуйте'))).toContain('Задание 1 из 6');
    expect(await s.lastText(text('меню'))).toContain('Меню. Выберите, что сделать');
    expect(await s.lastText(text('админ'))).toContain('Администрирование:');
  });
});

describe('erasure of personal data', () => {
  async function teacherWithHistory() {
    const s = await school();
    const vk = s.vk(1);
    await s.say(text(`импорт\nУдалова Инна Петровна; ${vk}; 5А`));
    await s.say(press({ a: 'ad_import_apply' }));
    await world.say(vk, text('Здравствуйте'));
    await world.say(vk, press({ a: 'done', t: 'messengers' }));
    await world.say(vk, text('https://vk.me/join/PersonalChat111'));
    await world.say(vk, text('https://vk.me/join/PersonalChat222'));
    await world.say(vk, press({ a: 'na', t: 'qr' }));
    await world.say(vk, text('Класс на карантине, Удалова в отпуске'));
    const [row] = await roster(s.id);
    // A reminder waiting to be sent and one sent yesterday, both naming her.
    const message = { text: 'Инна Петровна, напоминаю о заданиях: Удалова' };
    await database.db.insert(outbox).values([
      { schoolId: s.id, key: `reminder:${row!.id}:2026-09-10`, kind: 'reminder', recipientVkId: vk, teacherId: row!.id, message, randomId: 1 },
      { schoolId: s.id, key: `reminder:${row!.id}:2026-09-09`, kind: 'reminder', recipientVkId: vk, teacherId: row!.id, message, randomId: 2, status: 'sent' },
    ]);
    return { s, vk, teacherId: row!.id };
  }

  async function expectErased(teacherId: string, vk: number) {
    const [row] = await database.db.select().from(teachers).where(eq(teachers.id, teacherId));
    expect(row).toMatchObject({ fullName: '(данные удалены)', vkId: null, active: false });
    expect(row?.erasedAt).not.toBeNull();
    expect(await classesOf(teacherId)).toEqual([]);
    const completions = await database.db.select().from(taskCompletions).where(eq(taskCompletions.teacherId, teacherId));
    expect(completions.map((c) => `${c.taskCode}:${c.className}:${c.status}`).sort()).toEqual(['chats:5А:done', 'messengers::done', 'qr::not_applicable']);
    expect(completions.every((c) => c.evidence === null && c.reason === null)).toBe(true);
    expect(await database.db.select().from(conversations).where(eq(conversations.vkId, vk))).toEqual([]);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.teacherId, teacherId));
    const serialized = JSON.stringify(audit);
    for (const personal of ['Удалова', 'PersonalChat', 'карантине', String(vk)]) expect(serialized).not.toContain(personal);
    expect(audit.at(-1)?.action).toBe('data_erased');
    // The outbox keeps no text and no VK id, and the pending reminder will never go out.
    const messages = await database.db.select().from(outbox).where(eq(outbox.teacherId, teacherId));
    const reminders = messages.filter((m) => m.kind === 'reminder');
    expect(reminders.map((m) => m.status).sort()).toEqual(['failed', 'sent']);
    expect(reminders.find((m) => m.status === 'failed')?.lastError).toBe('erased');
    // Replies queued before the erasure are cancelled too. Only the teacher's own confirmation of it
    // waits to go out (it needs the VK id to be delivered, and is deleted once sent).
    const pending = messages.filter((m) => m.status === 'pending');
    expect(pending.every((m) => m.kind === 'reply' && JSON.stringify(m.message).includes('Ваши данные удалены'))).toBe(true);
    expect(messages.filter((m) => m.status === 'failed').every((m) => m.lastError === 'erased')).toBe(true);
    expect(JSON.stringify(messages)).not.toMatch(/Удалова|Инна/);
    expect(JSON.stringify(messages.filter((m) => m.status !== 'pending'))).not.toContain(String(vk));
    return audit.at(-1)!;
  }

  it('a teacher deletes their own data after confirming; counts stay, the deletion is audited', async () => {
    const { vk, teacherId } = await teacherWithHistory();
    const menu = (await world.say(vk, text('меню'))).replies[0]!;
    expect(menu.buttons?.flat().map((b) => b.label)).toContain('Удалить мои данные');
    expect(menu.buttons?.flat().length).toBeLessThanOrEqual(10);
    const ask = (await world.say(vk, press({ a: 'forget' }))).replies[0]!;
    expect(ask.text).toContain('Удалить ваши данные?');
    expect((await world.say(vk, press({ a: 'cancel' }))).replies[0]?.text).toContain('Меню');
    expect((await database.db.select().from(teachers).where(eq(teachers.id, teacherId)))[0]?.erasedAt).toBeNull();
    // A stale confirmation without the question does nothing.
    expect((await world.say(vk, press({ a: 'forget_yes' }))).replies[0]?.text).toContain('кнопка уже не действует');

    await world.say(vk, text('удалить мои данные'));
    expect((await world.say(vk, press({ a: 'forget_yes' }))).replies[0]?.text).toContain('Ваши данные удалены');
    const entry = await expectErased(teacherId, vk);
    expect(entry).toMatchObject({ actor: 'teacher', actorVkId: null, details: { by: 'teacher', completionsKept: 3 } });
    // Writing again starts from scratch, as a stranger.
    expect((await world.say(vk, text('Здравствуйте'))).replies[0]?.text).toContain('напишите код школы');
  });

  it('an administrator deletes the data of a teacher who left', async () => {
    const { s, vk, teacherId } = await teacherWithHistory();
    expect(await s.lastText(press({ a: 'ad_erase', t: teacherId }))).toContain('Удалить персональные данные учителя «Удалова Инна Петровна»?');
    expect(await s.lastText(press({ a: 'ad_erase_yes', t: teacherId }))).toContain('Данные учителя удалены');
    const entry = await expectErased(teacherId, vk);
    expect(entry).toMatchObject({ actor: 'admin', actorVkId: s.adminVk, details: { by: 'admin', completionsKept: 3 } });
    expect(await s.lastText(press({ a: 'ad_teacher', t: teacherId }))).toContain('Не нашёл такого учителя');
    expect(await s.lastText(text('учителя'))).toContain('Учителей пока нет');
  });
});

describe('regional administrator', () => {
  it('sees a per-school table, picks a school and works on it; configuration decides who is an administrator', async () => {
    const a = await school('Школа Альфа');
    const b = await school('Школа Бета');
    await a.say(text(`импорт\nАльфина Анна Андреевна; ${a.vk(1)}; 1А\nАльфин Борис Андреевич; ${a.vk(2)};`));
    await a.say(press({ a: 'ad_import_apply' }));
    await world.say(a.vk(1), text('Здравствуйте'));
    const regional = 990_001;
    await syncConfiguredAdmins(database.db, a.id, { school: [a.adminVk], region: [regional] });

    const table = (await world.say(regional, text('Здравствуйте'))).replies[0]!;
    expect(table.text).toContain('Выберите школу');
    expect(table.text).toMatch(/Школа Альфа \d+: 2 \/ 1 \/ 0/);
    expect(table.text).toMatch(/Школа Бета \d+: 0 \/ 0 \/ 0/);
    expect((await world.say(regional, text('сводка'))).replies[0]?.text).toContain('Сначала выберите школу');
    const picked = (await world.say(regional, press({ a: 'ad_school', s: a.id }))).replies[0]!;
    expect(picked.text).toContain('Выбрана школа: Школа Альфа');
    expect(picked.buttons?.flat().map((x) => x.label)).toContain('Все школы');
    expect((await world.say(regional, text('сводка'))).replies[0]?.text).toContain('Учителей: 2');
    expect((await world.say(regional, press({ a: 'ad_school', s: randomUUID() }))).replies[0]?.text).toBe('Школа не найдена.');
    await world.say(regional, press({ a: 'ad_school', s: b.id }));
    expect((await world.say(regional, text('сводка'))).replies[0]?.text).toContain('Учителей: 0');

    // Removed from the configuration: no longer an administrator at the next start.
    await syncConfiguredAdmins(database.db, a.id, { school: [], region: [] });
    expect((await world.say(regional, text('сводка'))).replies[0]?.text).toContain('Эта команда доступна только администрации школы.');
    expect((await world.say(a.adminVk, text('сводка'))).replies[0]?.text).toContain('Эта команда доступна только администрации школы.');
    // Administrators of other schools, added by hand, stay.
    expect((await world.say(b.adminVk, text('сводка'))).replies[0]?.text).toContain('Учителей: 0');
  });
});

describe('parents reached in the regional table', () => {
  it('sums each school over its active teachers\' current classes, with the change since its previous summary', async () => {
    const a = await school('Школа Гамма');
    const b = await school('Школа Дельта');
    // 25 of 25 per class: two classes, one class, one teacher who left (erased), one without a class, one who never reported.
    const [, , gone] = await seedTeachers(database.db, a.id, [
      { fullName: 'Гаммова Анна Андреевна', vkId: a.vk(11), classes: ['5А', '7Б'], done: ['parents'] },
      { fullName: 'Гаммов Борис Андреевич', vkId: a.vk(12), classes: ['6В'], done: ['parents'] },
      { fullName: 'Гаммова Вера Андреевна', vkId: a.vk(13), classes: ['9Г'], done: ['parents'] },
      { fullName: 'Гаммов Глеб Андреевич', vkId: a.vk(14), classes: [] },
      { fullName: 'Гаммова Дина Андреевна', vkId: a.vk(15), classes: ['8Д'] },
    ]);
    await seedTeachers(database.db, b.id, [{ fullName: 'Дельтова Анна Андреевна', vkId: b.vk(11), classes: ['1А'], done: ['parents'] }]);
    await world.say(a.adminVk, text('админ'));
    await world.say(a.adminVk, press({ a: 'ad_erase', t: gone! }));
    await world.say(a.adminVk, press({ a: 'ad_erase_yes', t: gone! }));
    // An answer for a class the teacher no longer has does not count either.
    await database.db.update(classes).set({ name: '6Г' }).where(eq(classes.name, '6В'));
    await database.db.insert(summarySnapshots).values({
      schoolId: a.id,
      date: '2026-09-09',
      data: { at: '2026-09-09T10:00:00+03:00', teachers: 5, started: 5, finished: 0, tasks: {}, parents: { joined: 30, total: 50, classes: {} } },
    });

    const regional = 990_002;
    await syncConfiguredAdmins(database.db, a.id, { school: [a.adminVk], region: [regional] });
    const table = (await world.say(regional, text('Здравствуйте'))).replies[0]!.text;
    expect(table).toContain('Учителей / начали / выполнили всё; родители в чатах:');
    expect(table).toMatch(/Школа Гамма \d+: 4 \/ 4 \/ 0; родители 50 из 50 \(100 %\), \+20/);
    expect(table).toMatch(/Школа Дельта \d+: 1 \/ 1 \/ 0; родители 25 из 25 \(100 %\)\n/);
    await syncConfiguredAdmins(database.db, a.id, { school: [a.adminVk], region: [] });
  });
});

describe('the web page link', () => {
  it('says the page is not set up when the server has no public address, and changes nothing', async () => {
    const s = await school();
    for (const input of [text('Страница'), press({ a: 'ad_page' })]) {
      expect(await s.lastText(input)).toBe('Веб-страница не настроена: нужен адрес сервера (PUBLIC_URL). Сводка и выгрузка в Excel работают в чате.');
    }
    expect(await database.db.select().from(auditLog).where(eq(auditLog.schoolId, s.id))).toEqual([]);
  });
});
