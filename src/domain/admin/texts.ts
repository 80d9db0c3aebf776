import { TEACHERS, count } from '../russian.js';
import { summaryTexts } from '../summary/texts.js';
import type { RosterFileProblem } from './model.js';
import type { RosterProblemCode } from './roster.js';

/** Every Russian sentence of the administrator's menu, in one place. */
export const adminTexts = {
  /** What a teacher or a stranger gets for an admin command: nothing about anyone. */
  notFound: 'Не нашёл такого учителя в вашей школе.',
  noSchool: 'Школа не найдена.',
  pageLink: (url: string, until: string, regional: boolean) =>
    `Ваша личная ссылка на страницу ${regional ? 'школ региона' : 'школы'} (только просмотр), действует до ${until}:\n${url}\n\nНе пересылайте её: по ней видны данные учителей.`,
  pageUnavailable: 'Веб-страница не настроена: нужен адрес сервера (PUBLIC_URL). Сводка и выгрузка в Excel работают в чате.',
  stale: 'Эта кнопка уже не действует.',
  notUnderstood: 'Не понял. Выберите действие в меню или напишите «админ».',
  hello: 'Здравствуйте!',
  /** What an erased teacher's row and audit entries show instead of a name. */
  erasedName: '(данные удалены)',

  menuTitle: (school: string) => `Администрирование: ${school}. Что сделать?`,
  regionMenuTitle: 'Региональный администратор. Выберите школу:',
  menu: {
    summary: 'Сводка',
    laggards: 'Отстающие',
    import: 'Импорт',
    exportXlsx: 'Экспорт XLSX',
    exportCsv: 'Экспорт CSV',
    schoolTasks: 'Школьные задачи',
    settings: 'Настройки',
    poster: 'Плакат «Начать»',
    teachers: 'Учителя',
    remind: 'Напомнить отстающим',
    schools: 'Все школы',
    menu: 'Меню',
    cancel: 'Отмена',
    apply: 'Применить',
    back: 'Назад',
    next: 'Дальше',
    page: 'Открыть страницу',
  },

  // Regional administrator.
  schoolsTitle: (count: number) => `Школ: ${count}. Учителей / начали / выполнили всё; родители в чатах:`,
  schoolParents: (reach: string) => `родители ${reach}`,
  schoolRow: (name: string, teachers: number, started: number, finished: number) => `${name}: ${teachers} / ${started} / ${finished}`,
  noSchools: 'Школ пока нет.',
  pickSchoolFirst: 'Сначала выберите школу.',
  schoolPicked: (name: string) => `Выбрана школа: ${name}.`,

  // Import.
  importAsk:
    'Пришлите список учителей файлом XLSX или CSV или вставьте строки сообщением. В каждой строке три поля через «;»:\n' +
    'ФИО; страница ВКонтакте (ссылка или id); классы\n\n' +
    'Например:\nИванова Мария Петровна; vk.com/id123; 5А, 7Б\nПетров Иван Сергеевич; vk.com/petrov_is;\n\n' +
    'Сначала я покажу, что получится, и только потом применю.',
  importPreviewTitle: (lines: number) => `Проверил список: строк с данными — ${lines}.`,
  importCounts: (created: number, updated: number, same: number, errors: number) =>
    `Новых учителей: ${created}\nИзменится: ${updated}\nБез изменений: ${same}\nСтрок с ошибками: ${errors}`,
  importErrorsTitle: 'Ошибки (эти строки не будут применены):',
  importNewTitle: 'Будут добавлены:',
  importChangesTitle: 'Изменится:',
  importNew: (name: string, vk: string, classes: string) => `• ${name}${vk ? `, ${vk}` : ''}${classes ? `, ${classes}` : ''}`,
  importChange: (name: string, changes: readonly string[]) => `• ${name}: ${changes.join('; ')}`,
  importChangeName: (from: string, to: string) => `ФИО „${from}“ → „${to}“`,
  importChangeVk: (from: string, to: string) => `страница ВКонтакте ${from} → ${to}`,
  importClassesAdded: (classes: string) => `добавятся классы ${classes}`,
  importClassesRemoved: (classes: string) => `⚠️ уберутся классы ${classes}`,
  importNoClass: 'без своего класса',
  importReactivated: 'снова станет активным',
  importMoreErrors: (count: number) => `…и ещё ${count}.`,
  importConfirm: 'Нажмите «Применить», чтобы внести изменения, или «Отмена».',
  importNothing: 'Применять нечего: все строки уже внесены или содержат ошибки.',
  importApplied: (created: number, updated: number, same: number) =>
    `Готово. Добавлено: ${created}, обновлено: ${updated}, без изменений: ${same}.`,
  importNothingPending: 'Нет списка для применения. Нажмите «Импорт» и пришлите список.',
  rosterProblems: {
    columns: 'нужно три поля через «;»: ФИО; страница ВКонтакте; классы',
    name_short: 'нужны фамилия, имя и отчество',
    name_long: 'слишком длинное ФИО',
    name_cyrillic: 'ФИО русскими буквами',
    vk_bad: 'не понял ссылку на страницу ВКонтакте',
    vk_unknown: 'такой страницы ВКонтакте нет',
    vk_taken: 'эта страница ВКонтакте уже у другого учителя',
    classes_bad: 'классы пишутся так: 5А, 7Б',
    classes_many: 'слишком много классов',
    duplicate: 'повтор строки выше',
    too_many_lines: 'слишком много строк (не больше 500)',
  } satisfies Record<RosterProblemCode, string>,
  rosterProblem: (line: number, message: string, value: string) => `стр. ${line}: ${message}${value ? ` («${value.length > 40 ? `${value.slice(0, 39)}…` : value}»)` : ''}`,
  fileProblems: {
    too_big: 'Файл слишком большой: нужен не больше 2 МБ.',
    unreadable: 'Не смог прочитать файл. Сохраните его как XLSX или CSV (UTF-8) и пришлите снова.',
    unsupported: 'Нужен файл XLSX или CSV.',
    download: 'Не удалось скачать файл. Попробуйте отправить его ещё раз.',
  } satisfies Record<RosterFileProblem, string>,

  // Teachers.
  teachersTitle: (count: number, page: number, pages: number) =>
    count === 0 ? 'Учителей пока нет. Нажмите «Импорт», чтобы загрузить список.' : `Учителя: ${count}. Страница ${page} из ${pages}. Выберите учителя:`,
  teacherTitle: (name: string) => name,
  teacherFacts: {
    vk: (id: number | null) => (id === null ? 'Страница ВКонтакте: не указана' : `Страница ВКонтакте: vk.com/id${id}`),
    claimCode: (code: string) => `Личный код для входа в бот: ${code}. Передайте его учителю лично: код открывает эту строку списка.`,
    classes: (list: string) => (list === '' ? 'Классы: нет своего класса' : `Классы: ${list}`),
    inactive: 'Деактивирован: напоминаний нет, в сводке не учитывается.',
    leave: (date: string) => `В отпуске по ${date}.`,
    started: (date: string) => `Пишет боту с ${date}.`,
    notStarted: 'Ещё не писал(а) боту.',
    unreachable: 'Запретил(а) сообщения от сообщества: напоминания не доходят.',
    finished: (date: string) => `Всё выполнено ${date}.`,
    progress: (closed: number, total: number) => `Выполнено: ${closed} из ${total}.`,
  },
  /** The one task numbering: place in the checklist, then the point of the order. */
  taskName: (index: number, point: number, title: string) => `Задание ${index} (п. ${point}). ${title}`,
  taskLine: {
    done: (title: string, date: string) => `✅ ${title} — ${date}`,
    na: (title: string, reason: string | null) => `➖ ${title} — не относится${reason ? `: ${reason}` : ' (нет своего класса)'}`,
    open: (title: string, partial: string) => `⬜ ${title}${partial}`,
    partial: (done: number, total: number) => ` (${done} из ${total} кл.)`,
    evidence: (text: string) => `   ${text}`,
  },
  teacherButtons: { edit: 'Изменить', leave: 'Отпуск', deactivate: 'Деактивировать', activate: 'Вернуть', erase: 'Удалить данные', audit: 'Журнал' },
  editAsk: (name: string) => `Пришлите новую строку для «${name}»: ФИО; страница ВКонтакте; классы.`,
  editOneLine: 'Нужна ровно одна строка: ФИО; страница ВКонтакте; классы.',
  edited: 'Данные учителя обновлены.',
  leaveAsk: 'До какого дня (включительно) учитель в отпуске? Напишите дату, например 30.09.2026, или «нет», чтобы снять отпуск.',
  leaveSet: (date: string) => `Отпуск отмечен по ${date}: напоминаний не будет.`,
  leaveCleared: 'Отпуск снят.',
  deactivated: 'Учитель деактивирован: напоминаний нет, в сводке не учитывается. Данные сохранены.',
  activated: 'Учитель снова активен.',
  eraseAsk: (name: string) =>
    `Удалить персональные данные учителя «${name}»? ФИО, VK id, классы, ссылки, фото, причины и неотправленные напоминания будут стёрты сразу и безвозвратно; выполненные задания останутся только как обезличенные числа. Переписку в диалоге хранит «ВКонтакте», скачанные файлы остаются у тех, кто их скачал.`,
  eraseYes: 'Да, удалить',
  erased: 'Данные учителя удалены. Удаление записано в журнал.',
  auditTitle: (name: string) => `Журнал: ${name}`,
  auditEmpty: 'Записей нет.',
  auditLine: (date: string, actor: string, action: string) => `${date} · ${actor} · ${action}`,

  // School-level tasks.
  schoolTasksTitle: 'Задачи школы по приказу:',
  localActTitle: 'П. 5. Локальный акт о запрете иностранных мессенджеров',
  schoolLinkTitle: 'П. 6. Связь школы с «Электронным образованием Дагестана»',
  localActDone: (number: string, date: string) => `✅ Локальный акт № ${number} от ${date}`,
  localActOpen: '⬜ Локальный акт не отмечен',
  schoolLinkDone: (date: string, note: string | null) => `✅ Связь отмечена ${date}${note ? `: ${note}` : ''}`,
  schoolLinkOpen: '⬜ Связь не отмечена',
  localActButton: 'Отметить локальный акт',
  schoolLinkButton: 'Отметить связь с ЭО',
  localActAsk: 'Напишите номер и дату локального акта, например: № 12-од от 01.09.2026',
  localActErrors: {
    no_number: 'Не вижу номера. Напишите так: № 12-од от 01.09.2026',
    no_date: 'Не вижу даты. Напишите так: № 12-од от 01.09.2026',
    bad_date: 'Не понял дату. Напишите так: № 12-од от 01.09.2026',
    out_of_range: 'Дата вне срока приказа. Проверьте год.',
  },
  localActRecorded: (number: string, date: string) => `Записал: локальный акт № ${number} от ${date}.`,
  schoolLinkAsk: 'Коротко опишите, что сделано (например, «учётная запись школы связана 05.09»), или напишите «готово».',
  schoolLinkRecorded: 'Записал: связь школы с «Электронным образованием Дагестана» отмечена.',
  tooLong: (max: number) => `Слишком длинно: не больше ${max} символов.`,

  // Settings.
  settingsTitle: 'Настройки школы:',
  settingsDeadline: (date: string | null) => `Срок: ${date ?? 'не задан'}`,
  settingsHolidays: (text: string | null) =>
    `Нерабочие дни школы (кроме государственных праздников): ${text ?? 'не заданы'}. Праздники Дагестана — 15 сентября, Ураза-байрам и Курбан-байрам — внесены сюда заранее; даты байрамов ожидаемые: поправьте их, когда Республика объявит свои.`,
  settingsEo: (set: boolean) => `Инструкция для связи с ЭО: ${set ? 'задана' : 'не задана'}`,
  settingsCode: (code: string) => `Код школы для регистрации: ${code}`,
  settingsButtons: { deadline: 'Срок', holidays: 'Каникулы', eo: 'Инструкция ЭО', code: 'Сменить код' },
  deadlineAsk: 'Напишите срок выполнения приказа, например дату первого родительского собрания: 15.09.2026. «нет» — убрать срок.',
  deadlineSet: (date: string) => `Срок установлен: ${date}.`,
  deadlineCleared: 'Срок убран.',
  deadlinePast: '⚠️ Эта дата уже прошла: учителя сразу станут просроченными. Если это ошибка, задайте срок заново.',
  dateErrors: {
    bad_date: 'Не понял дату. Напишите так: 15.09.2026',
    out_of_range: 'Дата вне срока приказа. Проверьте год.',
    reversed: 'Конец периода раньше начала. Проверьте даты.',
    too_many: 'Слишком много дней: не больше года.',
  },
  holidaysAsk:
    'Напишите дни, когда напоминать не нужно (каникулы, карантин): даты и периоды через запятую, например:\n26.10.2026–03.11.2026, 30.12.2026\n\nСписок заменит прежний: оставьте в нём праздники Дагестана (15 сентября, Ураза-байрам, Курбан-байрам) с датами, которые объявила Республика. «нет» — очистить. Государственные праздники учтены сами.',
  holidaysSet: (text: string) => `Записал: ${text}.`,
  holidaysCleared: 'Список дней школы очищен.',
  eoAsk: (current: string | null) =>
    `${current ? `Сейчас:\n${current}\n\n` : ''}Пришлите текст инструкции, как учителю связать «Сферум» с «Электронным образованием Дагестана». Учителя увидят его в задании. «нет» — удалить.`,
  eoSet: 'Инструкция сохранена: учителя увидят её в задании.',
  eoCleared: 'Инструкция удалена.',
  codeAsk: 'Сменить код школы? Старый код перестанет работать: учителям, которые ещё не зарегистрировались, нужен будет новый.',
  codeYes: 'Да, сменить',
  codeRotated: (code: string) => `Новый код школы: ${code}`,

  // Poster and exports.
  /** The words of the «start the bot» poster (src/reports/start-poster.ts). */
  startPoster: {
    title: 'Бот перехода на «Сферум»',
    lines: (joinCode: string) => [
      '1. Наведите камеру телефона на QR-код и откройте ссылку.',
      '2. Напишите боту «Здравствуйте» или нажмите «Начать».',
      '3. Бот спросит код: напишите личный код, который выдала администрация школы.',
      `4. Если вас нет в списке учителей школы, напишите код школы: ${joinCode}`,
    ],
    footer: 'Бот не может написать первым: пока вы ему не написали, он не сможет напомнить о заданиях.',
  },
  posterCaption: 'Плакат для учительской: QR-код ведёт в диалог с ботом. Распечатайте на листе А4.',
  exportCaption: (name: string) => `Отчёт: ${name}.`,
  remindClosed: (from: string, to: string) =>
    `Сейчас нерабочее время школы: напоминания уходят в рабочие дни с ${from} до ${to}. Нажмите кнопку в это время, пожалуйста.`,
  remindReport: (outcome: { queued: number; alreadyToday: number; resting: number; neverStarted: number; unreachable: number }) =>
    [
      outcome.queued > 0 ? `Готово: напоминание получат ${count(outcome.queued, TEACHERS)}.` : 'Новых напоминаний нет.',
      ...(outcome.alreadyToday > 0 ? [`Уже получили напоминание сегодня: ${outcome.alreadyToday}.`] : []),
      ...(outcome.resting > 0 ? [`В отпуске или попросили напомнить позже: ${outcome.resting}.`] : []),
      ...(outcome.neverStarted > 0 ? [summaryTexts.neverStarted(outcome.neverStarted).replace(/:$/, '.')] : []),
      ...(outcome.unreachable > 0 ? [summaryTexts.unreachable(outcome.unreachable).replace(/:$/, '.')] : []),
    ].join('\n'),
  teacherMode: 'Вы в меню учителя. Чтобы вернуться к администрированию, напишите «админ».',
  notATeacher: 'Вас нет в списке учителей. Чтобы добавить себя, импортируйте строку со своим VK id.',
} as const;

/** Russian names of who did something, for the audit log. */
export const actorNames = { teacher: 'учитель', admin: 'администратор', import: 'импорт', system: 'система' } as const;

/** Russian names of audit actions; an unknown action shows its code. */
export const auditActionNames: Record<string, string> = {
  registered: 'зарегистрировался',
  claimed: 'вошёл по личному коду',
  started: 'начал работу с ботом',
  task_done: 'выполнил задание',
  task_not_applicable: 'отметил «не относится»',
  checklist_finished: 'выполнил все задания',
  roster_added: 'добавлен в список',
  roster_updated: 'изменены данные',
  teacher_deactivated: 'деактивирован',
  teacher_activated: 'снова активен',
  leave_set: 'отмечен отпуск',
  leave_cleared: 'снят отпуск',
  data_erased: 'персональные данные удалены',
  school_task_done: 'отмечена задача школы',
  deadline_set: 'изменён срок',
  holidays_set: 'изменены дни школы',
  eo_instructions_set: 'изменена инструкция ЭО',
  join_code_rotated: 'сменён код школы',
  reminders_snoozed: 'отложил напоминания',
  laggards_reminded: 'разосланы напоминания отстающим',
  report_exported: 'выгружен отчёт',
  admin_page_opened: 'открыта веб-страница',
  admin_page_refused: 'отказано в веб-странице',
};

/** Russian names of the facts an audit entry records (its `details`), for the journal sheet and card. */
export const auditDetailNames: Record<string, string> = {
  evidence: 'ответ',
  reason: 'причина',
  until: 'до',
  classes: 'классы',
  line: 'строка файла',
  format: 'формат',
  teachers: 'учителей',
  queued: 'напоминаний',
  number: 'номер',
  date: 'дата',
  note: 'примечание',
  deadline: 'срок',
  dates: 'даты',
};

/** How a kind of evidence is named in the journal. */
export const evidenceKindNames: Record<string, string> = {
  confirm: 'подтверждение',
  links: 'ссылки на чаты',
  photo: 'фото',
  poster: 'плакат',
  report: 'отчёт',
};

/** «Здравствуйте», «Добрый день!», «привет»: a greeting an administrator starts with. */
export const isGreeting = (text: string): boolean =>
  /^(здравствуй(те)?|добр(ый|ое|ого) (день|утро|вечер|дня|утра)|привет(ствую)?|салам( алейкум)?|ас+ал[яа]м[уа]? ?алейкум)[\s.,!)]*$/i.test(text.trim());
