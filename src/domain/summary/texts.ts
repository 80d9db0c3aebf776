import { DAYS, TEACHERS, count } from '../russian.js';

/** Every Russian sentence of the administrator's daily summary, in one place. */
export const summaryTexts = {
  /** Stands for a teacher whose data was erased. */
  erasedTeacher: 'Учитель (данные удалены)',
  title: (date: string, school: string) => `📊 Сводка на ${date} — ${school}`,
  deadlineAhead: (date: string, days: number) => `Срок — ${date}, осталось ${count(days, DAYS)}.`,
  deadlineToday: (date: string) => `Срок — сегодня, ${date}.`,
  deadlinePassed: (date: string, days: number) => `Срок (${date}) прошёл ${count(days, DAYS)} назад.`,
  noDeadline: 'Срок не назначен.',
  totals: (teachers: number, started: number, finished: number) =>
    `Учителей: ${teachers}. Начали работу с ботом: ${started}. Выполнили всё: ${finished}.`,
  tasksTitle: 'Задания (сделано из тех, к кому относится):',
  taskLine: (number: number, title: string, done: number, applicable: number, notApplicable: number) =>
    `${number}. ${title} — ${done} из ${applicable}${notApplicable > 0 ? ` (не относится: ${notApplicable})` : ''}`,
  laggardsTitle: (n: number) => `Отстают — ${n}:`,
  noLaggards: 'Отстающих нет.',
  laggardLine: (name: string, missing: number[], daysOverdue: number, leaveUntil: string | null) =>
    `• ${name} — ${missing.length === 1 ? 'не сделано' : 'не сделаны'} ${missing.join(', ')}` +
    (daysOverdue > 0 ? `; просрочено ${count(daysOverdue, DAYS)}` : '') +
    (leaveUntil ? ` (в отпуске до ${leaveUntil})` : ''),
  andMore: (n: number) => `и ещё ${n}`,
  unreachable: (n: number) => `Не удаётся написать (запретили сообщения от сообщества) — ${n}:`,
  neverStarted: (n: number) => `Ещё не писали боту — ${n}:`,
  firstSummary: 'Это первая сводка.',
  noChanges: (since: string) => `С прошлой сводки (${since}) изменений нет.`,
  changesTitle: (since: string) => `С прошлой сводки (${since}):`,
  changeTeachers: (n: number) => `учителей ${n > 0 ? '+' : ''}${n}`,
  changeStarted: (n: number) => `начали ${n > 0 ? '+' : ''}${n}`,
  changeFinished: (n: number) => `выполнили всё ${n > 0 ? '+' : ''}${n}`,
  changeTask: (number: number, n: number) => `задание ${number}: ${n > 0 ? '+' : ''}${n}`,
  finishedNames: (names: string) => `Выполнили всё: ${names}`,
  remindButton: 'Напомнить отстающим сейчас',
  exportButton: 'Выгрузить в Excel',
  tasksLegend: 'Задания:',
  parentsTitle: 'Родители в чатах класса:',
  parentsNone: 'Родители в чатах класса: цифр пока никто не прислал.',
  parentsDelta: (delta: string) => `${delta} с прошлой сводки`,
  parentsOwing: (n: number) => `Ещё не прислали цифры (или не по всем классам): ${count(n, TEACHERS)}.`,
} as const;
