import { DAYS, TASKS, count } from '../russian.js';

/** Every Russian sentence of a reminder, in one place. */
export const reminderTexts = {
  greeting: (name: string) => `Здравствуйте, ${name}!`,
  requested: 'Как вы просили, напоминаю о заданиях по приказу о переходе на «Сферум».',
  regular: 'Напоминаю о заданиях по приказу о переходе на «Сферум».',
  remaining: (open: number, total: number) => `Осталось ${count(open, TASKS)} из ${total}.`,
  deadlineAhead: (date: string, days: number) => `Срок — ${date}, осталось ${count(days, DAYS)}.`,
  deadlineToday: (date: string) => `Срок — сегодня, ${date}.`,
  overdue: (date: string, days: number, open: number, total: number) =>
    `Срок выполнения приказа — ${date} — прошёл ${count(days, DAYS)} назад, а у вас осталось ${count(open, TASKS)} из ${total}. ` +
    'Пожалуйста, завершите их, как только сможете.',
  next: (title: string, className: string | null) => `Следующее: «${title}»${className ? `, класс ${className}` : ''}.`,
  continueHint: 'Нажмите «Продолжить» — я подскажу, что делать. Чаты класса теперь в MAX, в разделе «Сферум».',
  parentsUpdate: (className: string | null) =>
    `Сколько родителей${className ? ` ${className}` : ''} уже в чатах класса? Если цифры изменились, обновите их — это минута. Спрошу снова через неделю, пока в чатах не будут все.`,
  buttons: {
    continue: 'Продолжить',
    update: 'Обновить цифры',
    tomorrow: 'Напомнить завтра',
    nextWeek: 'Через неделю',
    leave: 'Я в отпуске до…',
  },
} as const;
