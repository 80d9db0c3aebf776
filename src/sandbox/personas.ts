/**
 * The people one can be on the sandbox page. Each is a VK user of the emulator; their ids are
 * fixed, so a restart finds the same conversations in the database and the emulator.
 */
export type PersonaRole = 'teacher' | 'roster_teacher' | 'stranger' | 'admin';

export interface Persona {
  vkId: number;
  firstName: string;
  lastName: string;
  role: PersonaRole;
  /** One line under the name on the page: who this is and what to expect. */
  note: string;
}

/** The administrator's id goes into ADMIN_VK_IDS of the sandbox. */
export const SANDBOX_ADMIN_VK_ID = 1000;

/** A teacher the school's roster already holds: the bot greets her by name, no join code needed. */
export const ROSTER_TEACHER = { vkId: 1003, fullName: 'Магомедова Патимат Расуловна', classes: ['7Б'] } as const;

export const builtInPersonas: readonly Persona[] = [
  { vkId: 1001, firstName: 'Анна', lastName: 'Сидорова', role: 'teacher', note: 'Новый учитель: зарегистрируется по коду школы' },
  { vkId: 1002, firstName: 'Ибрагим', lastName: 'Алиев', role: 'teacher', note: 'Новый учитель' },
  {
    vkId: ROSTER_TEACHER.vkId,
    firstName: 'Патимат',
    lastName: 'Магомедова',
    role: 'roster_teacher',
    note: `Учитель из списка школы, классный руководитель ${ROSTER_TEACHER.classes.join(', ')}`,
  },
  { vkId: 1004, firstName: 'Сергей', lastName: 'Петров', role: 'stranger', note: 'Посторонний: не знает кода школы' },
  { vkId: SANDBOX_ADMIN_VK_ID, firstName: 'Заира', lastName: 'Гаджиева', role: 'admin', note: 'Администратор школы' },
];

/** Personas added on the page ("another new teacher") get ids from here up. */
export const FIRST_ADDED_PERSONA_ID = 2001;

/** Name of the n-th added persona (n from 1). */
export function addedPersonaName(n: number): { firstName: string; lastName: string } {
  return { firstName: 'Учитель', lastName: `№${n}` };
}
