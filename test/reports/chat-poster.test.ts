import { readFileSync } from 'node:fs';
import { PDFParse } from 'pdf-parse';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { checklistSchema } from '../../src/domain/checklist/schema.js';
import type { OutgoingFile } from '../../src/domain/model.js';
import { posterRequest } from '../../src/domain/poster.js';
import { A4, createPosterRenderer } from '../../src/reports/chat-poster.js';
import { posterFonts } from '../../src/reports/fonts.js';
import { decodeQr as decode } from '../support/qr.js';

const renderer = createPosterRenderer();
const chatsTask = defaultChecklist.tasks.find((t) => t.code === 'chats')!;
const SCHOOL = 'МКОУ «СОШ №4»';

/** Links as teachers send them, from short to the longest token the validator lets through (300). */
const LINKS = {
  sferum: 'https://sferum.ru/?p=messages&join=AbCdEf1234567890_xyz',
  vkMe: 'https://vk.me/join/Zx9_yW8vU7tS6rQ5pO4nM3lK2jI1hG0f',
  longSferum: `https://sferum.ru/?p=messages&join=${'Ab1_-='.repeat(50)}`,
  longVkMe: `https://vk.me/join/${'Zz-9'.repeat(75)}`,
};

const parsers: PDFParse[] = [];
afterAll(async () => {
  for (const parser of parsers) await parser.destroy();
});
const parse = (pdf: Uint8Array) => {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  parsers.push(parser);
  return parser;
};

function request(pages: { className: string; links: Record<string, string> }[], previews = true) {
  return posterRequest({ schoolName: SCHOOL, linksTask: chatsTask, pages, previews });
}

const bytes = (text: string) => new TextEncoder().encode(text);
const photos = (files: OutgoingFile[]) => files.filter((f) => f.kind === 'photo');

// A case renders up to three posters and decodes every QR picture with jsQR (most of the time):
// about 1 s of CPU per case when idle, several times that with the machine's cores contended.
describe('chat poster renderer', { timeout: 60_000 }, () => {
  it('sends the PDF first, then a PNG of each QR code that decodes to exactly its link, short or long', async () => {
    for (const [withTeacher, parentsOnly] of [
      [LINKS.sferum, LINKS.vkMe],
      [LINKS.longSferum, LINKS.longVkMe],
    ] as const) {
      const files = await renderer.render(request([{ className: '5А', links: { with_teacher: withTeacher, parents_only: parentsOnly } }]));
      expect(files.map((f) => [f.kind, f.filename])).toEqual([
        ['document', 'plakat-5A.pdf'],
        ['photo', 'qr-1.png'],
        ['photo', 'qr-2.png'],
      ]);
      const decoded = photos(files).map((f) => decode(PNG.sync.read(Buffer.from(f.content))));
      expect(decoded).toEqual([bytes(withTeacher), bytes(parentsOnly)]);
      for (const png of photos(files).map((f) => PNG.sync.read(Buffer.from(f.content)))) {
        expect(png.width).toBeGreaterThanOrEqual(600);
      }
    }
  });

  it('makes an A4 PDF whose text has the school, the class, the chat titles, the links and the steps in Cyrillic', async () => {
    const [pdf] = await renderer.render(request([{ className: '5А', links: { with_teacher: LINKS.sferum, parents_only: LINKS.longVkMe } }], false));
    expect(pdf?.kind).toBe('document');
    const content = pdf!.content;
    expect(Buffer.from(content.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { text, total } = await parse(content).getText();
    expect(total).toBe(1);
    for (const expected of [
      SCHOOL,
      'Чаты родителей 5А класса в «Сферуме»',
      'Родители с учителем',
      'Родители без учителя',
      'Как вступить в чат (мессенджер MAX)',
      'Установите MAX (max.ru) и войдите по номеру телефона.',
      'Нажмите «Вступить». Учтите: в групповом чате MAX ваш номер телефона видят другие участники.',
      'Плакаты со ссылками sferum.ru и vk.me ведут в закрытые чаты',
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(expected);
    }
    // The links are printed in full (long ones wrap over several lines).
    const compact = text.replace(/\s+/g, '');
    expect(compact).toContain(LINKS.sferum);
    expect(compact).toContain(LINKS.longVkMe);
    expect(text.replace(/\s+/g, ' ')).toMatch(/если сбросить ссылку чата .*перестанет работать/);
    const mediaBoxes = [...Buffer.from(content).toString('latin1').matchAll(/\/MediaBox \[([^\]]+)\]/g)].map((m) => m[1]!.trim());
    expect(mediaBoxes).toEqual([`0 0 ${A4.width} ${A4.height}`]);
  });

  it('prints QR codes that decode to the links from the rendered page, in black and white only', async () => {
    const links = { with_teacher: LINKS.longSferum, parents_only: LINKS.vkMe };
    const [pdf] = await renderer.render(request([{ className: '11Б', links }], false));
    const shot = await parse(pdf!.content).getScreenshot({ scale: 2, imageBuffer: true });
    const png = PNG.sync.read(Buffer.from(shot.pages[0]!.data));
    const half = Math.floor(png.width / 2);
    expect(decode(png, { x: 0, y: 0, width: half, height: png.height })).toEqual(bytes(links.with_teacher));
    expect(decode(png, { x: half, y: 0, width: png.width - half, height: png.height })).toEqual(bytes(links.parents_only));
    // No colour anywhere: every pixel is a shade of grey (black, white, or anti-aliased edges).
    let coloured = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i] !== png.data[i + 1] || png.data[i + 1] !== png.data[i + 2]) coloured += 1;
    }
    expect(coloured).toBe(0);
  });

  it('puts several classes in one PDF, a page each, and sends pictures only when asked', async () => {
    const files = await renderer.render(
      request(
        [
          { className: '5А', links: { with_teacher: LINKS.sferum, parents_only: LINKS.vkMe } },
          { className: '7Б', links: { with_teacher: LINKS.longSferum, parents_only: LINKS.longVkMe } },
        ],
        false,
      ),
    );
    expect(files.map((f) => f.filename)).toEqual(['plakat-5A-7B.pdf']);
    const result = await parse(files[0]!.content).getText();
    expect(result.total).toBe(2);
    expect(result.pages.map((p) => /Чаты родителей (\S+) класса/.exec(p.text)?.[1])).toEqual(['5А', '7Б']);
  });

  it('fits one to four chats with the longest links and a long school name on one page', async () => {
    const fourChats = checklistSchema.parse({
      title: 't',
      tasks: [
        {
          code: 'chats',
          point: 2,
          title: 'Чаты',
          text: 'т',
          perClass: true,
          step: { kind: 'links', chats: [1, 2, 3, 4].map((i) => ({ key: `c${i}`, title: `Чат ${i}`, prompt: 'п' })) },
        },
      ],
    }).tasks[0]!;
    for (const count of [1, 3, 4]) {
      const links = Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i + 1}`, `${LINKS.longVkMe.slice(0, -4)}${i}abc`]));
      const [pdf, ...pngs] = await renderer.render(
        posterRequest({
          schoolName: 'Муниципальное казённое общеобразовательное учреждение «Средняя общеобразовательная школа №4» г. Хасавюрт',
          linksTask: fourChats,
          pages: [{ className: '9В', links }],
          previews: true,
        }),
      );
      expect((await parse(pdf!.content).getText()).total).toBe(1);
      expect(pngs.map((f) => decode(PNG.sync.read(Buffer.from(f.content))))).toEqual(Object.values(links).map(bytes));
    }
  });

  it('renders a poster the same after other posters as in a fresh renderer: nothing carries over between documents', async () => {
    // The font files and text heights are kept across documents. PT Sans draws «µ» (micro) and «μ»
    // (Greek mu) with one glyph: the sign met in one poster must not become what the next poster's
    // letter reads as when copied or searched; no word or glyph of one poster may reach another.
    const other = posterRequest({
      schoolName: 'Школа «Ёлочка» имени Йошкина, 5 µm',
      linksTask: chatsTask,
      pages: [{ className: '6Ё', links: { with_teacher: LINKS.longSferum, parents_only: LINKS.longVkMe } }],
      previews: true,
    });
    const poster = posterRequest({
      schoolName: 'Школа «μ» №7',
      linksTask: chatsTask,
      pages: [{ className: '5А', links: { with_teacher: LINKS.sferum, parents_only: LINKS.vkMe } }],
      previews: true,
    });
    const used = createPosterRenderer();
    await used.render(other);
    const afterOther = await used.render(poster);
    const fresh = await createPosterRenderer().render(poster);
    // The creation date, and the file ID made from it, are the only things that may differ.
    const comparable = (files: OutgoingFile[]) =>
      files.map((f) =>
        Buffer.from(f.content)
          .toString('latin1')
          .replace(/\(D:\d{14}Z\)/g, '(D:…)')
          .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/g, '/ID […]'),
      );
    expect(comparable(afterOther)).toEqual(comparable(fresh));
    const text = (await parse(afterOther[0]!.content).getText()).text;
    expect(text).toContain('№7');
    expect(text.replace(/\s+/g, '')).toContain(LINKS.vkMe);
    expect(text).not.toContain('Ёлочка');
  });

  it('ships fonts without hinting, under a name of their own (the OFL reserves «PT Sans» for the original)', () => {
    for (const path of Object.values(posterFonts)) {
      const font = readFileSync(path);
      // The TrueType table directory: the table count at byte 4, then 16-byte records (tag, checksum, offset, length).
      const tables = new Map(
        Array.from({ length: font.readUInt16BE(4) }, (_, i) => [font.toString('latin1', 12 + 16 * i, 16 + 16 * i), font.readUInt32BE(20 + 16 * i)]),
      );
      expect([...tables.keys()]).toEqual(expect.arrayContaining(['glyf', 'cmap', 'GPOS', 'name']));
      // The hinting programs: with them a poster's embedded subset is 2.5 times larger.
      expect([...tables.keys()].filter((tag) => ['fpgm', 'prep', 'cvt ', 'hdmx'].includes(tag))).toEqual([]);
      // The names a user is shown (family, unique, full, PostScript), from the Windows records of the name table.
      const name = tables.get('name')!;
      const strings = name + font.readUInt16BE(name + 4);
      const names = Array.from({ length: font.readUInt16BE(name + 2) }, (_, i) => name + 6 + 12 * i)
        .filter((record) => font.readUInt16BE(record) === 3 && [1, 3, 4, 6].includes(font.readUInt16BE(record + 6)))
        .map((record) => {
          const start = strings + font.readUInt16BE(record + 10);
          return Buffer.from(font.subarray(start, start + font.readUInt16BE(record + 8))).swap16().toString('utf16le');
        });
      expect(names).toHaveLength(4);
      for (const shown of names) expect(shown).toMatch(/^Poster ?Sans/);
    }
  });
});
