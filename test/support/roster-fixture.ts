import ExcelJS from 'exceljs';

const SURNAMES = ['Иванова', 'Петров', 'Сидорова', 'Магомедов', 'Алиева', 'Гаджиев', 'Кузнецова', 'Омаров', 'Абдуллаева', 'Смирнов'];
const NAMES = ['Мария', 'Иван', 'Анна', 'Руслан', 'Патимат'];
const PATRONYMICS = ['Петровна', 'Сергеевич', 'Ивановна', 'Магомедович', 'Алиевна'];

export interface FixtureTeacher {
  fullName: string;
  vkId: number;
  /** What the roster cell says: an id, a link or a short name. */
  vkCell: string;
  screenName?: string;
  classes: string[];
}

/**
 * `count` distinct teachers with VK ids from `firstVkId`: every third has no class, every fifth is
 * written as a short name (register those in the fake's `users`), the rest as ids and links.
 */
export function fixtureTeachers(count: number, firstVkId: number): FixtureTeacher[] {
  return Array.from({ length: count }, (_, i) => {
    const vkId = firstVkId + i;
    const fullName = `${SURNAMES[i % SURNAMES.length]}${i >= SURNAMES.length ? `-${SURNAMES[(i * 7) % SURNAMES.length]}` : ''} ${NAMES[i % NAMES.length]} ${PATRONYMICS[(i + Math.floor(i / 5)) % PATRONYMICS.length]}`;
    const classes = i % 3 === 0 ? [] : [`${(i % 11) + 1}${'АБВ'[i % 3]}`, ...(i % 4 === 1 ? [`${((i + 3) % 11) + 1}Г`] : [])];
    if (i % 5 === 4) return { fullName, vkId, vkCell: `https://vk.com/teacher_${vkId}`, screenName: `teacher_${vkId}`, classes };
    return { fullName, vkId, vkCell: i % 2 === 0 ? `vk.com/id${vkId}` : String(vkId), classes };
  });
}

/** An XLSX roster as a school would make it: a header row, then one teacher per row; extra raw rows appended. */
export async function rosterXlsx(teachers: readonly FixtureTeacher[], extraRows: string[][] = []): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Учителя');
  sheet.addRow(['ФИО', 'VK', 'Классы']);
  for (const t of teachers) sheet.addRow([t.fullName, t.vkCell, t.classes.join(', ')]);
  for (const row of extraRows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
