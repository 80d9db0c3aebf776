import { formatRuDate } from '../domain/calendar.js';
import type { AdminPageModel, PageFilter, TeacherGroup, TrendPoint } from '../domain/admin/page.js';
import type { SchoolOverview } from '../domain/admin/model.js';
import { summaryTexts } from '../domain/summary/texts.js';

/** Every Russian word of the administrators' page, in one place. */
export const pageTexts = {
  title: (school: string) => `${school} — ход работы по приказу`,
  asOf: (date: string) => `Данные на ${date}`,
  readOnly: (until: string) => `Страница только для просмотра. Ссылка действует до ${until}; новую пришлёт бот, если написать ему «Страница».`,
  totals: { teachers: 'Учителей', started: 'Начали работу с ботом', finished: 'Выполнили всё', lagging: 'Отстают', unreachable: 'Не удаётся написать', not_started: 'Не писали боту' },
  tasksTitle: 'Задания: сделали из тех, к кому относится',
  notApplicable: (n: number) => `не относится: ${n}`,
  trendTitle: 'Динамика с начала работы',
  trendLegend: { started: 'начали работу', finished: 'выполнили всё' },
  trendEmpty: 'Динамика появится после первых ежедневных сводок.',
  trendColumns: ['Дата', 'Учителей', 'Начали', 'Выполнили всё'],
  filters: { all: 'Все', lagging: 'Отстают', unreachable: 'Не удаётся написать', not_started: 'Не писали боту' } satisfies Record<PageFilter, string>,
  groups: { done: 'Всё выполнено', lagging: 'Отстаёт', unreachable: 'Не удаётся написать', not_started: 'Не писал(а) боту' } satisfies Record<TeacherGroup, string>,
  teachersTitle: 'Учителя',
  teacherColumns: ['ФИО', 'Классы', 'Состояние', 'Сделано', 'Не сделаны задания', 'Просрочено, дней'],
  noTeachers: 'Никого.',
  classesTitle: 'Классы',
  classColumns: (tasks: string[]) => ['Класс', 'Учитель', ...tasks, 'Состояние'],
  noClasses: 'Нет классов.',
  downloadsTitle: 'Выгрузка',
  xlsx: 'Скачать Excel (XLSX): учителя, задачи школы, журнал',
  csv: 'Скачать CSV: учителя',
  regionTitle: 'Школы региона',
  regionColumns: ['Школа', 'Учителей', 'Начали', 'Выполнили всё'],
  noSchools: 'Школ пока нет.',
  backToRegion: '← Все школы',
  refusedTitle: 'Ссылка не работает',
  expired: 'Срок действия ссылки истёк. Напишите боту «Страница» — он пришлёт новую.',
  refused: 'Эта ссылка недействительна. Напишите боту «Страница» — он пришлёт вашу личную ссылку.',
} as const;

const t = pageTexts;

/** Where the page's own links go: the same token, another filter, school or download. */
export interface PageLinks {
  page(options: { filter?: PageFilter; schoolId?: string }): string;
  download(format: 'xlsx' | 'csv'): string;
  /** Back to the regional table, for a regional administrator looking at one school. */
  region: string | null;
  /** When the link stops working, as the page says it. */
  expiresAt: string;
}

export function schoolPage(model: AdminPageModel, links: PageLinks): string {
  const { summary } = model;
  const totals: [string, number][] = [
    ['teachers', summary.teachers],
    ['started', summary.started],
    ['finished', summary.finished],
    ['lagging', summary.laggards.length],
    ['unreachable', summary.unreachable.length],
    ['not_started', summary.neverStarted.length],
  ];
  const body = [
    links.region ? `<p><a href="${attr(links.region)}">${t.backToRegion}</a></p>` : '',
    `<h1>${html(t.title(summary.schoolName))}</h1>`,
    `<p class="muted">${html(t.asOf(formatRuDate(summary.date)))}. ${html(deadline(model))}</p>`,
    `<dl class="totals">${totals.map(([key, value]) => `<div data-total="${key}"><dt>${t.totals[key as keyof typeof t.totals]}</dt><dd>${value}</dd></div>`).join('')}</dl>`,
    `<h2>${t.tasksTitle}</h2>`,
    `<ul class="bars">${summary.tasks
      .map((task) => {
        const percent = task.applicable > 0 ? Math.round((100 * task.done) / task.applicable) : 0;
        return (
          `<li data-task="${attr(task.code)}"><span class="label">${task.number}. ${html(task.title)}</span>` +
          `<span class="bar"><span style="width:${percent}%"></span></span>` +
          `<span class="figure"><b>${task.done}</b> из <b>${task.applicable}</b>${task.notApplicable > 0 ? ` <span class="muted">(${t.notApplicable(task.notApplicable)})</span>` : ''}</span></li>`
        );
      })
      .join('')}</ul>`,
    `<h2>${t.trendTitle}</h2>`,
    trend(model.trend),
    `<nav class="filters" aria-label="Фильтр">${(Object.keys(t.filters) as PageFilter[])
      .map((filter) =>
        filter === model.filter
          ? `<span class="current" aria-current="page">${t.filters[filter]} (${model.counts[filter]})</span>`
          : `<a href="${attr(links.page({ filter }))}">${t.filters[filter]} (${model.counts[filter]})</a>`,
      )
      .join('')}</nav>`,
    `<h2>${t.teachersTitle}</h2>`,
    model.teachers.length === 0
      ? `<p>${t.noTeachers}</p>`
      : table(
          t.teacherColumns,
          model.teachers.map((teacher) => ({
            attrs: `data-teacher="${attr(teacher.id)}" data-group="${teacher.group}"`,
            cells: [
              html(teacher.fullName),
              html(teacher.classes.join(', ')),
              `<span class="group ${teacher.group}">${t.groups[teacher.group]}</span>`,
              `${teacher.closed} из ${teacher.total}`,
              teacher.missing.join(', '),
              teacher.daysOverdue > 0 ? String(teacher.daysOverdue) : '',
            ],
          })),
          'teachers',
        ),
    `<h2>${t.classesTitle}</h2>`,
    model.classes.length === 0
      ? `<p>${t.noClasses}</p>`
      : table(
          t.classColumns(model.classTasks.map((task) => `${task.number}. ${task.title}`)),
          model.classes.map((row) => ({
            attrs: `data-class="${attr(row.className)}" data-group="${row.group}"`,
            cells: [html(row.className), html(row.teacher), ...row.tasks.map((done) => (done ? 'да' : '—')), `<span class="group ${row.group}">${t.groups[row.group]}</span>`],
          })),
          'classes',
        ),
    `<h2>${t.downloadsTitle}</h2>`,
    `<ul class="downloads"><li><a href="${attr(links.download('xlsx'))}" download>${t.xlsx}</a></li><li><a href="${attr(links.download('csv'))}" download>${t.csv}</a></li></ul>`,
    `<p class="muted">${html(t.readOnly(links.expiresAt))}</p>`,
  ];
  return document(t.title(summary.schoolName), body.join('\n'));
}

export function regionPage(schools: readonly SchoolOverview[], links: Pick<PageLinks, 'page' | 'expiresAt'>): string {
  const body = [
    `<h1>${t.regionTitle}</h1>`,
    schools.length === 0
      ? `<p>${t.noSchools}</p>`
      : table(
          t.regionColumns,
          schools.map((school) => ({
            attrs: `data-school="${attr(school.id)}"`,
            cells: [`<a href="${attr(links.page({ schoolId: school.id }))}">${html(school.name)}</a>`, String(school.teachers), String(school.started), String(school.finished)],
          })),
          'schools',
        ),
    `<p class="muted">${html(t.readOnly(links.expiresAt))}</p>`,
  ];
  return document(t.regionTitle, body.join('\n'));
}

/** What an expired, forged or foreign link gets: a sentence, and nothing of the school. */
export function refusalPage(reason: 'expired' | 'refused'): string {
  return document(t.refusedTitle, `<h1>${t.refusedTitle}</h1>\n<p>${reason === 'expired' ? t.expired : t.refused}</p>`);
}

function deadline(model: AdminPageModel): string {
  const { deadline: date, daysToDeadline: days } = model.summary;
  if (date === null || days === null) return summaryTexts.noDeadline;
  if (days > 0) return summaryTexts.deadlineAhead(formatRuDate(date), days);
  if (days === 0) return summaryTexts.deadlineToday(formatRuDate(date));
  return summaryTexts.deadlinePassed(formatRuDate(date), -days);
}

/** Started and finished teachers by day as two lines over the school's size; a table says the same in figures. */
function trend(points: readonly TrendPoint[]): string {
  if (points.length < 2) return `<p class="muted">${t.trendEmpty}</p>`;
  const width = 640;
  const height = 180;
  const pad = 28;
  const top = Math.max(1, ...points.map((p) => p.teachers));
  const x = (i: number) => pad + ((width - 2 * pad) * i) / (points.length - 1);
  const y = (value: number) => height - pad - ((height - 2 * pad) * value) / top;
  const line = (key: 'started' | 'finished', color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="3" points="${points.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ')}"/>`;
  const svg = [
    `<svg class="trend" viewBox="0 0 ${width} ${height}" role="img" aria-label="${t.trendTitle}">`,
    `<line x1="${pad}" y1="${y(0)}" x2="${width - pad}" y2="${y(0)}" stroke="#c8ccd0"/>`,
    `<line x1="${pad}" y1="${y(top)}" x2="${width - pad}" y2="${y(top)}" stroke="#e3e6ea" stroke-dasharray="4 4"/>`,
    `<text x="${pad}" y="${y(top) - 6}" font-size="13" fill="#59636e">${top}</text>`,
    line('started', '#1976d2'),
    line('finished', '#2e7d32'),
    `<text x="${pad}" y="${height - 6}" font-size="13" fill="#59636e">${formatRuDate(points[0]!.date)}</text>`,
    `<text x="${width - pad}" y="${height - 6}" font-size="13" fill="#59636e" text-anchor="end">${formatRuDate(points.at(-1)!.date)}</text>`,
    '</svg>',
  ].join('');
  const legend = `<p class="legend"><span class="key started"></span>${t.trendLegend.started} <span class="key finished"></span>${t.trendLegend.finished}</p>`;
  const rows = points.map((p) => ({ attrs: `data-date="${p.date}"`, cells: [formatRuDate(p.date), String(p.teachers), String(p.started), String(p.finished)] }));
  return `${svg}${legend}<details><summary>Таблица по дням</summary>${table(t.trendColumns, rows, 'trend')}</details>`;
}

/** `cells` are HTML already escaped by the caller. */
function table(columns: readonly string[], rows: { attrs: string; cells: string[] }[], name: string): string {
  return (
    `<div class="scroll"><table data-table="${name}"><thead><tr>${columns.map((c) => `<th>${html(c)}</th>`).join('')}</tr></thead><tbody>` +
    rows.map((row) => `<tr ${row.attrs}>${row.cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('') +
    '</tbody></table></div>'
  );
}

const STYLE = `
*{box-sizing:border-box}body{margin:0 auto;max-width:1100px;padding:16px;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff}
h1{font-size:1.4rem;margin:.2em 0}h2{font-size:1.15rem;margin:1.4em 0 .5em}a{color:#0b57d0}.muted{color:#59636e}
.totals{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:12px 0}.totals div{border:1px solid #e3e6ea;border-radius:8px;padding:8px 10px}
.totals dt{font-size:.85rem;color:#59636e}.totals dd{margin:0;font-size:1.5rem;font-weight:700}
.bars{list-style:none;padding:0;margin:0}.bars li{display:grid;grid-template-columns:1fr;gap:2px;margin:0 0 10px}
.bar{display:block;height:14px;background:#e3e6ea;border-radius:7px;overflow:hidden}.bar span{display:block;height:100%;background:#2e7d32}
.trend{width:100%;max-width:640px;height:auto}.legend .key{display:inline-block;width:14px;height:4px;margin:0 4px 3px 8px;vertical-align:middle}
.key.started{background:#1976d2}.key.finished{background:#2e7d32}
.filters{display:flex;flex-wrap:wrap;gap:6px;margin:1.2em 0 0}.filters a,.filters span{padding:6px 12px;border-radius:16px;border:1px solid #c8ccd0;text-decoration:none}
.filters .current{background:#1f2328;color:#fff;border-color:#1f2328}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{background:#f6f8fa;font-weight:600}.group{white-space:nowrap}.group.lagging{color:#b35900}.group.unreachable{color:#c62828}.group.not_started{color:#59636e}.group.done{color:#2e7d32}
.downloads{padding-left:1.2em}
@media (max-width:600px){body{padding:10px}table{font-size:.85rem}th,td{padding:5px 4px}}
`;

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${html(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function html(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const attr = html;
