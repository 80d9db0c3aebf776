import type { ClassListError } from '../validation/class-list.js';
import type { FullNameError } from '../validation/full-name.js';
import type { InviteLinkError } from '../validation/invite-link.js';
import type { LeaveDateError } from '../validation/leave-date.js';
import type { CountError, DateError } from '../validation/report-values.js';
import { count } from '../russian.js';

const LINKS = ['ссылка', 'ссылки', 'ссылок'] as const;

/** Every Russian sentence of the teacher's conversation, in one place. */
export const texts = {
  /** The label of an optional-photo task's skip button when the checklist names none. */
  skipButton: 'Готово',
  /** What VK's own «Start» button in a new dialog stands for: the word a teacher would type. */
  startWord: 'Начать',
  /** Whatever failed while handling a message: the one generic answer (the error is logged). */
  failure: 'Извините, что-то пошло не так. Попробуйте ещё раз через минуту.',
  /** An admin button or command from someone who is not an administrator: names nothing. */
  adminOnly: 'Эта команда доступна только администрации школы.',
  welcomeStranger:
    'Здравствуйте! Я помогаю учителям школы выполнить приказ о переходе на «Сферум».\n\nЧтобы начать, напишите личный код, который выдала администрация школы. Если вас нет в списке учителей, напишите код школы.',
  joinCodeWrong: 'Код не подошёл. Проверьте его у администрации школы и напишите ещё раз.',
  joinCodeLocked: (minutes: number) =>
    `Слишком много неверных попыток. Попробуйте снова через ${minutes} мин.`,
  joinCodeAccepted: (school: string) => `Код принят: ${school}.\n\nНапишите, пожалуйста, ваши фамилию, имя и отчество.`,
  askFullName: 'Напишите, пожалуйста, ваши фамилию, имя и отчество.',
  rosterNameTaken:
    'Учитель с такими ФИО уже есть в списке школы. Чтобы продолжить, напишите ваш личный код — его выдаёт администрация школы.',
  fullNameErrors: {
    too_short: 'Нужны фамилия, имя и отчество, например: Иванова Мария Петровна.',
    too_long: 'Слишком длинно. Нужны только фамилия, имя и отчество, например: Иванова Мария Петровна.',
    not_cyrillic: 'Напишите ФИО русскими буквами, например: Иванова Мария Петровна.',
  } satisfies Record<FullNameError, string>,
  askClasses:
    'В каких классах вы классный руководитель? Напишите через запятую, например: 5А, 7Б.\n\nЕсли своего класса нет, нажмите «Нет своего класса».',
  noClassesButton: 'Нет своего класса',
  classErrors: {
    empty: 'Не вижу классов. Напишите их через запятую, например: 5А, 7Б.',
    bad_class: 'Класс — это число от 1 до 11 и русская буква, например: 5А, 7Б.',
    too_many: 'Слишком много классов. Укажите только те, где вы классный руководитель.',
  } satisfies Record<ClassListError, string>,
  finishRegistrationFirst: 'Сначала закончим знакомство.',
  privacy:
    'Я храню ваши ФИО, страницу ВКонтакте, классы и ответы по заданиям (ссылки, фото, даты), чтобы администрация школы видела, как выполняется приказ. Их видит только администрация вашей школы. Удалить данные можно в любой момент: «Меню» → «Удалить мои данные».',
  forgetAsk:
    'Удалить ваши данные? Сразу и безвозвратно сотру ФИО, страницу ВКонтакте, классы, ссылки, фото, причины и неотправленные напоминания. Выполненные задания останутся в отчёте школы только как обезличенные числа.\n\nПереписка с ботом хранится во «ВКонтакте»: её можно удалить в самом диалоге. Уже скачанные файлы (плакаты, выгрузки администрации) останутся у тех, кто их скачал.',
  forgetYesButton: 'Да, удалить',
  forgotten: 'Ваши данные удалены. Сообщения в этом диалоге хранит «ВКонтакте»: удалите их сами, если нужно. Если захотите вернуться, просто напишите мне.',
  schoolInstructions: (text: string) => `Инструкция школы:\n${text}`,
  noSchoolInstructions: 'Школа ещё не прислала инструкцию для этого задания: спросите, пожалуйста, администрацию школы, как это сделать.',
  greeting: (name: string, title: string, count: number) =>
    `Здравствуйте, ${name}! ${title}: я помогу выполнить его по шагам. Всего заданий: ${count}, по одному за раз.`,
  registered: (name: string, classes: readonly string[]) =>
    `Спасибо, ${name}! Вы зарегистрированы. ${classes.length > 0 ? `Классы: ${classes.join(', ')}.` : 'Своего класса нет.'} Если здесь ошибка, напишите администрации школы.`,

  /** One numbering everywhere: the task's place in the checklist, and the point of the order it serves. */
  taskHeader: (index: number, total: number, title: string, point: number) => `Задание ${index} из ${total} (п. ${point} приказа). ${title}`,
  taskRef: (index: number, title: string) => `${index} („${title}“)`,
  skippedNoClasses: (tasks: readonly string[]) =>
    `${tasks.length === 1 ? `Задание ${tasks[0]} к вам не относится` : `Задания ${tasks.slice(0, -1).join(', ')} и ${tasks.at(-1)} к вам не относятся`}: у вас нет своего класса. Пропускаю.`,
  forClass: (className: string) => `Класс ${className}.`,
  confirmPrompt: (button: string) => `Когда будет готово, нажмите «${button}».`,
  photoPrompt: (className: string | null) =>
    className ? `Пришлите фото для класса ${className} (как фотографию, не файлом).` : 'Пришлите фото (как фотографию, не файлом).',
  optionalPhotoPrompt: (button: string) => `Пришлите скриншот или просто нажмите «${button}».`,
  optionalPhotoHint: (button: string) => `Скриншот необязателен: можно просто нажать «${button}».`,
  doneButton: 'Готово',
  confirmHint: (button: string) => `Чтобы подтвердить, нажмите «${button}» или напишите «готово».`,
  photoExpected: 'Здесь нужна фотография. Отправьте её как фото, не файлом.',
  linkErrors: {
    no_link:
      'Не вижу ссылки. Нужна ссылка-приглашение в чат, например:\nhttps://max.ru/join/AbCdEf…\n(в MAX: название чата → «Пригласить по ссылке»). Старые ссылки sferum.ru и vk.me тоже подходят.',
    not_invite:
      'Это не ссылка-приглашение в чат. В MAX она выглядит так: https://max.ru/join/AbCdEf…\nСтарые ссылки sferum.ru/?p=messages&join=… и vk.me/join/… тоже подходят.',
    too_short: 'Ссылка слишком короткая — похоже, скопирована не целиком. Скопируйте её заново и пришлите полностью.',
    cut: 'Ссылка обрезана (в конце «…»). Скопируйте её заново: название чата → «Пригласить по ссылке» → «Копировать».',
    spaced: 'В ссылку попал пробел или перенос строки. Пришлите её одним куском, без пробелов.',
    wrapped: 'Ссылка слилась с текстом. Поставьте пробел до и после неё или пришлите её отдельным сообщением.',
  } satisfies Record<InviteLinkError, string>,
  sameLinkTwice: 'Это та же ссылка, что и для первого чата. У каждого чата своя ссылка-приглашение.',
  tooManyLinks: (sent: number, left: number) =>
    left === 1
      ? `В сообщении ${count(sent, LINKS)}, а нужна одна. Пришлите только её.`
      : `В сообщении ${count(sent, LINKS)}, а нужно не больше ${left}. Пришлите их по порядку.`,
  linkTaken: (className: string) =>
    `Эта ссылка уже указана для ${className}. Один чат — один класс: пришлите ссылку на чат этого класса.`,
  linkShared: (className: string) => `Этот чат ${className} уже указал другой учитель вашей школы — отмечаю его как общий чат класса.`,
  dateErrors: {
    bad_date: 'Не понял дату. Напишите её так: 05.09.2026 или «1 декабря».',
    future_date: 'Эта дата ещё не наступила. Напишите дату, когда разъяснение уже прошло.',
    too_old: 'Эта дата раньше приказа (19.08.2024). Проверьте год.',
  } satisfies Record<DateError, string>,
  countErrors: {
    not_number: 'Напишите число цифрами, например: 18.',
    too_big: 'Слишком большое число. Проверьте, пожалуйста.',
    date: 'Похоже, это дата, а здесь нужно число. Напишите его цифрами, например: 18.',
  } satisfies Record<CountError, string>,
  countAboveTotal: (value: number, total: number, label: string, totalLabel: string) =>
    `${label} — ${value}, а ${totalLabel.toLocaleLowerCase('ru')} — ${total}: так не бывает. Ошибка, скорее всего, в одном из этих чисел. Давайте ещё раз, начиная с общего числа.`,
  recorded: (summary: string) => (summary ? ` Записал: ${summary}.` : ''),

  askNaReason: 'Напишите коротко, почему это задание к вам не относится. Причину увидит администрация.',
  naReasonTooLong: 'Слишком длинно: уложитесь в 300 символов.',
  naReasonEmpty: 'Напишите причину словами.',
  naRecorded: 'Отметил, что задание к вам не относится.',
  naNotOffered: 'Это задание относится ко всем учителям.',

  accepted: '✅ Принято.',
  updated: '✅ Ответ обновлён.',
  allDone:
    '🎉 Все задания выполнены. Спасибо! Больше я не буду напоминать. Если что-то изменится, напишите «меню».',
  nothingLeft: 'Все задания уже выполнены. Спасибо!',

  menuTitle: 'Меню. Выберите, что сделать:',
  menuButtons: {
    next: 'Следующее задание',
    progress: 'Мой прогресс',
    edit: 'Изменить ответ',
    poster: 'Плакат с QR-кодами',
    parents: 'Родители в чатах',
    help: 'Помощь',
    forget: 'Удалить мои данные',
    menu: 'Меню',
    snoozeTomorrow: 'Напомнить завтра',
    snoozeWeek: 'Через неделю',
    leave: 'Я в отпуске до…',
  },
  notApplicableButton: 'Не относится ко мне',
  cancelButton: 'Отмена',
  progressTitle: (closed: number, total: number) => `Ваш прогресс: ${closed} из ${total}.`,
  classesDone: (done: number, total: number) => `(${done} из ${total} кл.)`,
  naNoClasses: 'не относится: нет своего класса',
  naBecause: (reason: string) => `не относится: ${reason}`,
  editTitle: 'Какой ответ изменить?',
  editNothing: 'Пока нечего менять: ни одно задание ещё не выполнено.',
  editWhichClass: 'Для какого класса?',
  pageMore: 'Ещё →',
  pageBack: '← Назад',
  pageOf: (page: number, pages: number) => `(${page} из ${pages})`,
  notForYouNoClasses: 'Это задание не относится к вам: у вас нет своего класса.',

  help:
    'Я веду по заданиям приказа №64/1 по одному: показываю, что сделать, и жду ответа — кнопкой, ссылкой, фото или числом. ' +
    'Команды: «меню», «прогресс», «помощь». На любом шаге можно спросить «как это сделать?».\n\n' +
    'Сферум теперь работает в мессенджере MAX: чаты классов там, в разделе «Сферум». Ссылка на чат: название чата → «Пригласить по ссылке»; там же «Показать QR-код». Ссылки sferum.ru и vk.me старые: если чат закрыт, пришлите ссылку из MAX, и я сделаю новый плакат.\n\n' +
    'Зачем: приказ школы переводит рабочее общение с учениками и родителями в «Сферум». Закон (ч. 8 ст. 10 № 149-ФЗ) ограничивает передачу персональных данных через иностранные мессенджеры, а приказ школы запрещает их для рабочего общения.',
  whoToAsk: 'Если не получается, спросите заместителя директора или того, кто в школе ведёт переход на «Сферум».',
  /** How-tos by step kind, for a task whose checklist entry has no `help` of its own. */
  stepHelp: {
    confirm: 'Сделайте то, что написано в задании, и нажмите зелёную кнопку под сообщением.',
    links: 'Откройте чат в MAX (раздел «Сферум»), нажмите на его название, затем «Пригласить по ссылке» → «Скопировать» и вставьте ссылку сюда.',
    photo: 'Пришлите фото как фотографию (скрепка → «Фото»), не файлом.',
    poster: 'Распечатайте плакат из PDF, повесьте в классе и пришлите его фото.',
    report: 'Ответьте на вопрос ниже: дату — например «1 декабря», количество — числом.',
  },
  helpRegistration: {
    join_code: 'Код школы — короткое слово с цифрами, его сообщает администрация школы (он есть и на плакате «Напишите боту»).',
    full_name: 'Напишите свои фамилию, имя и отчество полностью, например: Иванова Мария Петровна.',
    classes: 'Напишите классы, где вы классный руководитель, например: 5А, 7Б. Если своего класса нет, нажмите «Нет своего класса».',
  },

  snoozedTomorrow: 'Хорошо, сегодня больше не напомню. Напишу завтра, а если завтра выходной — в ближайший рабочий день.',
  snoozedWeek: (date: string) => `Хорошо, напомню через неделю — ${date} или в ближайший рабочий день после.`,
  askLeaveDate:
    'До какого дня вы в отпуске (включительно)? Напишите дату, например: 25.12.2026.\n\nПока вы в отпуске, я не буду напоминать о заданиях.',
  leaveDateErrors: {
    bad_date: 'Не понял дату. Напишите её так: 25.12.2026.',
    past_date: 'Эта дата уже прошла. Напишите последний день отпуска.',
    too_far: 'Это больше чем через год. Проверьте, пожалуйста, дату.',
  } satisfies Record<LeaveDateError, string>,
  leaveDateHelp: 'Напишите последний день отпуска: например, 25.12.2026 или «до 10 января». Пока вы в отпуске, напоминаний не будет.',
  leaveRecorded: (date: string) => `Хорошо, до ${date} включительно напоминать не буду. Хорошего отдыха!`,

  tooLong: 'Сообщение слишком длинное. Напишите короче, пожалуйста.',
  unsupported: 'Я понимаю текст, кнопки и фотографии.',
  staleButton: 'Эта кнопка уже не действует.',
  unknownButton: 'Не знаю такой кнопки.',
  photoNotNow: 'Спасибо, но сейчас фото не нужно.',

  posterReady: (className: string) =>
    `Плакат для ${className} готов и придёт отдельным сообщением: PDF на лист А4. Распечатайте его (подойдёт и чёрно-белый принтер) и повесьте в классе.`,
  posterReprint: (className: string) =>
    `⚠️ Ссылки для ${className} изменились, и старый плакат больше не годится. Новый придёт отдельным сообщением: распечатайте его и повесьте вместо старого.`,
  linksUnchanged: 'Ссылки не изменились, поэтому плакат прежний. Прислать его снова можно из меню.',
  posterPhotoPrompt: (className: string) =>
    `Распечатайте плакат для ${className}, повесьте в классе и пришлите фото (как фотографию, не файлом).`,
  posterOptionalPrompt: (className: string, button: string) =>
    `Распечатайте плакат для ${className}, повесьте в классе и нажмите «${button}». Можно приложить фото.`,
  posterOptionalHint: (button: string) => `Пришлите фото плаката или нажмите «${button}».`,
  posterOutdatedNote: (className: string) => `⚠️ Ссылки на чаты ${className} изменились: старый плакат больше не работает.`,
  posterNoLinks: (className: string | null) =>
    className
      ? `Для ${className} ещё нет ссылок на чаты. Пришлите их — и я сделаю плакат.`
      : 'Пока нет ссылок на чаты ни для одного класса. Пришлите их — и я сделаю плакат.',
  posterResent: (className: string) => `Плакат для ${className} придёт отдельным сообщением: распечатайте его на листе А4 и повесьте в классе.`,
  posterAll: (classes: readonly string[]) =>
    `Плакаты для ${classes.join(', ')} придут одним PDF, по странице на класс. Распечатайте и повесьте каждый в своём классе.`,
  /** The text of the message that carries the poster's PDF. */
  posterFile: (classes: readonly string[]) => `Плакат для ${classes.join(', ')} — PDF для печати на листе А4.`,
  posterMissing: (classes: readonly string[]) => `Для ${classes.join(', ')} ещё нет ссылок на чаты.`,
  posterNotSent: '⚠️ Не получилось отправить файл плаката. Попробуйте чуть позже: «Меню» → «Плакат с QR-кодами».',
  posterOutdated: (classes: readonly string[]) =>
    classes.length === 1 ? `⚠️ плакат ${classes[0]} устарел — распечатайте новый` : `⚠️ плакаты ${classes.join(', ')} устарели — распечатайте новые`,
  posterAgainButton: 'Прислать плакат ещё раз',
  parentsWhichClass: 'Для какого класса обновить цифры? Сейчас:',
  parentsNotReported: 'цифр ещё нет',
  parentsNow: (joined: number, total: number) => `Обновим цифры. Было: ${joined} из ${total}.`,
  parentsUpdate: 'Обновим цифры.',
  posterHungButton: 'Плакат висит',
} as const;

/**
 * What the printed poster says, to parents: the renderer lays these out and adds nothing of its own.
 * Kept short and large enough to read from a few steps away.
 */
export const posterTexts = {
  heading: (className: string) => `Чаты родителей ${className} класса в «Сферуме»`,
  stepsTitle: 'Как вступить в чат (мессенджер MAX)',
  steps: [
    'Установите MAX (max.ru) и войдите по номеру телефона.',
    'Наведите камеру телефона на QR-код чата и нажмите на появившуюся ссылку — чат откроется в MAX. Не сканируется — наберите ссылку под кодом.',
    'Нажмите «Вступить». Учтите: в групповом чате MAX ваш номер телефона видят другие участники.',
  ],
  warning:
    'Учителю: если сбросить ссылку чата в MAX, QR-код перестанет работать — пришлите боту новую ссылку, он сделает новый плакат. Плакаты со ссылками sferum.ru и vk.me ведут в закрытые чаты: замените их.',
} as const;

/** Text commands that work like the menu buttons. */
export const textCommands: Record<string, 'menu' | 'progress' | 'help' | 'next' | 'edit' | 'poster' | 'parents' | 'forget'> = {
  меню: 'menu',
  начать: 'next',
  прогресс: 'progress',
  'мой прогресс': 'progress',
  помощь: 'help',
  справка: 'help',
  далее: 'next',
  дальше: 'next',
  'следующее задание': 'next',
  'изменить ответ': 'edit',
  плакат: 'poster',
  'плакат с qr-кодами': 'poster',
  'удалить мои данные': 'forget',
  'родители в чатах': 'parents',
};

/**
 * A question or a plea for help rather than an answer: «?», «не понимаю», «помогите», «как это
 * сделать?», «а что такое сферум?». A link may contain «?» but never ends with it.
 */
export function isHelpRequest(text: string): boolean {
  const t = text.trim().toLocaleLowerCase('ru').replace(/ё/g, 'е');
  if (t.endsWith('?')) return true;
  return /(^|[\s,.!])(не понима|не понял|непонятно|не ясно|помоги|помочь|подскажите|объясните|не получается|не выходит|не знаю как|как это|как сделать|что делать|что нужно|что такое)/.test(t);
}
