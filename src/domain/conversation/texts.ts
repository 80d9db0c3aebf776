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
    'Я храню ваши ФИО, VK id, классы и ответы по заданиям (ссылки, фото, даты), чтобы администрация школы видела, как выполняется приказ. Их видит только администрация вашей школы. Удалить данные можно в любой момент: «Меню» → «Удалить мои данные».',
  forgetAsk:
    'Удалить ваши данные? Сразу и безвозвратно сотру ФИО, VK id, классы, ссылки, фото, причины и неотправленные напоминания. Выполненные задания останутся в отчёте школы только как обезличенные числа.\n\nПереписка с ботом хранится во «ВКонтакте»: её можно удалить в самом диалоге. Уже скачанные файлы (плакаты, выгрузки администрации) останутся у тех, кто их скачал.',
  forgetYesButton: 'Да, удалить',
  forgotten: 'Ваши данные удалены. Сообщения в этом диалоге хранит «ВКонтакте»: удалите их сами, если нужно. Если захотите вернуться, просто напишите мне.',
  schoolInstructions: (text: string) => `Инструкция школы:\n${text}`,
  greeting: (name: string, title: string, count: number) =>
    `Здравствуйте, ${name}! Я помогу по шагам выполнить ${title}. Всего заданий: ${count}, по одному за раз.`,
  registered: (name: string) => `Спасибо, ${name}! Вы зарегистрированы.`,

  taskHeader: (index: number, total: number, title: string) => `Задание ${index} из ${total}. ${title}`,
  forClass: (className: string) => `Класс ${className}.`,
  confirmPrompt: (button: string) => `Когда будет готово, нажмите «${button}».`,
  photoPrompt: (className: string | null) =>
    className ? `Пришлите фото для класса ${className} (как фотографию, не файлом).` : 'Пришлите фото (как фотографию, не файлом).',
  optionalPhotoPrompt: (button: string) => `Пришлите скриншот или просто нажмите «${button}».`,
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
    bad_date: 'Не понял дату. Напишите её так: 05.09.2026.',
    future_date: 'Эта дата ещё не наступила. Напишите дату, когда разъяснение уже прошло.',
    too_old: 'Эта дата раньше приказа. Проверьте год.',
  } satisfies Record<DateError, string>,
  countErrors: {
    not_number: 'Напишите число цифрами, например: 18.',
    too_big: 'Слишком большое число. Проверьте, пожалуйста.',
  } satisfies Record<CountError, string>,
  countAboveTotal: (total: number) => `Не может быть больше, чем всего (${total}). Проверьте число.`,

  askNaReason: 'Напишите коротко, почему это задание к вам не относится. Причину увидит администрация.',
  naReasonTooLong: 'Слишком длинно: уложитесь в 300 символов.',
  naReasonEmpty: 'Напишите причину словами.',
  naRecorded: 'Отметил, что задание к вам не относится.',

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
  notForYouNoClasses: 'Это задание не относится к вам: у вас нет своего класса.',

  help:
    'Приказ школы №64/1 переводит рабочее общение с учениками и родителями в «Сферум».\n\n' +
    'Сферум теперь работает в мессенджере MAX: чаты классов там, в разделе «Сферум». Ссылка на чат: название чата → «Пригласить по ссылке»; там же «Показать QR-код». Ссылки sferum.ru и vk.me старые: если чат закрыт, пришлите ссылку из MAX, и я сделаю новый плакат.\n\n' +
    'Основание — ч. 8 ст. 10 Федерального закона № 149-ФЗ «Об информации…»: с 1 марта 2023 года он ограничивает передачу персональных данных и платёжных документов через иностранные мессенджеры. Приказ школы идёт дальше и запрещает такие мессенджеры для любого рабочего общения.\n\n' +
    'Я веду по заданиям приказа по одному. Команды: «меню», «прогресс», «помощь». Не получается — напишите администрации школы.',
  helpRegistration:
    'Я помогаю учителям выполнить приказ школы о переходе на «Сферум». Код школы сообщит администрация.',

  snoozedTomorrow: 'Хорошо, сегодня больше не напомню. Напишу завтра, а если завтра выходной — в ближайший рабочий день.',
  snoozedWeek: (date: string) => `Хорошо, напомню через неделю — ${date} или в ближайший рабочий день после.`,
  askLeaveDate:
    'До какого дня вы в отпуске (включительно)? Напишите дату, например: 25.12.2026.\n\nПока вы в отпуске, я не буду напоминать о заданиях.',
  leaveDateErrors: {
    bad_date: 'Не понял дату. Напишите её так: 25.12.2026.',
    past_date: 'Эта дата уже прошла. Напишите последний день отпуска.',
    too_far: 'Это больше чем через год. Проверьте, пожалуйста, дату.',
  } satisfies Record<LeaveDateError, string>,
  leaveRecorded: (date: string) => `Хорошо, до ${date} включительно напоминать не буду. Хорошего отдыха!`,

  tooLong: 'Сообщение слишком длинное. Напишите короче, пожалуйста.',
  unsupported: 'Я понимаю текст, кнопки и фотографии.',
  staleButton: 'Эта кнопка уже не действует.',
  unknownButton: 'Не знаю такой кнопки.',
  photoNotNow: 'Спасибо, но сейчас фото не нужно.',

  posterReady: (className: string) =>
    `Плакат для ${className} готов и придёт отдельным сообщением: PDF на лист A4. Распечатайте его (подойдёт и чёрно-белый принтер) и повесьте в классе.`,
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
  posterResent: (className: string) => `Плакат для ${className} придёт отдельным сообщением: распечатайте его на листе A4 и повесьте в классе.`,
  posterAll: (classes: readonly string[]) =>
    `Плакаты для ${classes.join(', ')} придут одним PDF, по странице на класс. Распечатайте и повесьте каждый в своём классе.`,
  /** The text of the message that carries the poster's PDF. */
  posterFile: (classes: readonly string[]) => `Плакат для ${classes.join(', ')} — PDF для печати на листе A4.`,
  posterMissing: (classes: readonly string[]) => `Для ${classes.join(', ')} ещё нет ссылок на чаты.`,
  posterNotSent: '⚠️ Не получилось отправить файл плаката. Попробуйте чуть позже: «Меню» → «Плакат с QR-кодами».',
  posterOutdated: (classes: readonly string[]) => `⚠️ плакат ${classes.join(', ')} устарел — распечатайте новый`,
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
