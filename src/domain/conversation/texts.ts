import type { ClassListError } from '../validation/class-list.js';
import type { FullNameError } from '../validation/full-name.js';
import type { InviteLinkError } from '../validation/invite-link.js';
import type { LeaveDateError } from '../validation/leave-date.js';
import type { CountError, DateError } from '../validation/report-values.js';

/** Every Russian sentence of the teacher's conversation, in one place. */
export const texts = {
  welcomeStranger:
    'Здравствуйте! Я помогаю учителям школы выполнить приказ о переходе на «Сферум».\n\nЧтобы начать, напишите код школы — его сообщит администрация.',
  joinCodeWrong: 'Код не подошёл. Проверьте его у администрации школы и напишите ещё раз.',
  joinCodeLocked: (minutes: number) =>
    `Слишком много неверных попыток. Попробуйте снова через ${minutes} мин.`,
  joinCodeAccepted: (school: string) => `Код принят: ${school}.\n\nНапишите, пожалуйста, ваши фамилию, имя и отчество.`,
  askFullName: 'Напишите, пожалуйста, ваши фамилию, имя и отчество.',
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
    'Я храню ваши ФИО, классы и ответы по заданиям. Их видит только администрация школы — чтобы знать, как идёт выполнение приказа.',
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
      'Не вижу ссылки. Нужна ссылка-приглашение в чат Сферума, например:\nhttps://sferum.ru/?p=messages&join=AbCdEf123456\nили https://vk.me/join/AbCdEf123456',
    not_invite:
      'Это не ссылка-приглашение в чат Сферума. Она выглядит так:\nhttps://sferum.ru/?p=messages&join=AbCdEf123456\nили https://vk.me/join/AbCdEf123456',
  } satisfies Record<InviteLinkError, string>,
  sameLinkTwice: 'Это та же ссылка, что и для первого чата. У каждого чата своя ссылка-приглашение.',
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
    help: 'Помощь',
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
} as const;

/** Text commands that work like the menu buttons. */
export const textCommands: Record<string, 'menu' | 'progress' | 'help' | 'next' | 'edit'> = {
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
};
