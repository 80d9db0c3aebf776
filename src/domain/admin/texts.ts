import { TEACHERS, count } from '../russian.js';

/** Every Russian sentence of the administrators' buttons, in one place. */
export const adminTexts = {
  notAllowed: 'Эта команда доступна только администрации школы.',
  closed: (from: string, to: string) =>
    `Сейчас нерабочее время школы: напоминания уходят в рабочие дни с ${from} до ${to}. Нажмите кнопку в это время, пожалуйста.`,
  reminded: (n: number) => (n > 0 ? `Готово: напоминание получат ${count(n, TEACHERS)}.` : 'Новых напоминаний нет.'),
  alreadyToday: (n: number) => `Уже получили напоминание сегодня: ${n}.`,
  resting: (n: number) => `В отпуске или попросили напомнить позже: ${n}.`,
  unreachable: (n: number) => `Бот не может им написать (не писали боту или запретили сообщения): ${n}.`,
  failed: 'Не получилось отправить напоминания. Попробуйте ещё раз через минуту.',
} as const;
