import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { OutgoingFile, PosterPage, PosterRequest } from '../domain/model.js';
import type { PosterRenderer } from '../domain/ports.js';
import { bilevelRowBytes, encodeBilevelPng } from './png.js';
import { trueTypeSubsets, withoutGlyphInstructions } from './truetype.js';

/**
 * The A4 QR poster of a class's chats, as a PDF (pdfkit) with the QR codes drawn as vectors, so
 * they print sharp at any resolution, pure black on white for black-and-white printers. The same
 * QR codes go out as PNG pictures for a preview in the chat. Layout only: every word comes from
 * the request (src/domain/poster.ts).
 */
export function createPosterRenderer(): PosterRenderer {
  const fonts = loadFonts();
  const heights = createHeights();
  return {
    async render(request) {
      const { pdf, codes } = await renderPdf(request, fonts, heights);
      const files: OutgoingFile[] = [{ kind: 'document', filename: request.filename, content: pdf }];
      if (request.previews) {
        for (const [index, code] of codes.entries()) {
          files.push({ kind: 'photo', filename: `qr-${index + 1}.png`, content: qrPng(code) });
        }
      }
      return files;
    },
  };
}

/** A4 in PostScript points (1/72 in). */
export const A4 = { width: 595.28, height: 841.89 } as const;
/** 15 mm: inside the unprintable border of any office printer. */
const MARGIN = 42;
const BLACK = '#000000';
/** Modules narrower than this (≈1 mm) are hard for a phone camera at arm's length: then trade redundancy for size. */
const MIN_MODULE_PT = 2.9;
/** QR codes need four modules of blank space around them to be found. */
const QUIET_MODULES = 4;

interface Fonts {
  regular: fontkit.Font;
  bold: fontkit.Font;
}

/**
 * PT Sans ships through npm (@expo-google-fonts/pt-sans) and has full Cyrillic; both faces are
 * embedded (subset), without their screen hinting (./truetype.ts). The faces are parsed once per
 * renderer and handed to every document: pdfkit takes a fontkit font as it is and keeps what a
 * document uses (its subset, its widths, its glyph numbering) in the document, while fontkit's
 * parsed tables, glyphs and word layouts are shared; parsing them was most of a poster's cost.
 */
function loadFonts(): Fonts {
  const require = createRequire(import.meta.url);
  const open = (path: string) => {
    const file = withoutGlyphInstructions(readFileSync(require.resolve(`@expo-google-fonts/pt-sans/${path}`)));
    const font = fontkit.create(file);
    if (!('layout' in font)) throw new Error(`${path} is a font collection`);
    // pdfkit asks the font for a subset per document; ours writes it straight from the file's bytes.
    font.createSubset = trueTypeSubsets(file) as unknown as typeof font.createSubset;
    // fontkit gives a glyph the code points of its first request, for good, and some glyphs stand for
    // two characters («µ» micro and «μ» mu): what one poster's text met first would be what a later
    // poster's text reads as when copied or searched. So every glyph that stands for a character is
    // made now, from its first character, before any poster.
    for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
    return withLayoutsKept(font);
  };
  return { regular: open('400Regular/PTSans_400Regular.ttf'), bold: open('700Bold/PTSans_700Bold.ttf') };
}

/** Words laid out, per face: enough for every word of a poster's fixed text many times over. */
const MAX_KEPT_LAYOUTS = 2000;

/**
 * pdfkit lays text out word by word through fontkit (shaping, kerning): per document, so every
 * poster would shape the same steps and warning again. The runs are kept across documents, keyed
 * by the word; a word always lays out the same. pdfkit scales a run's positions in place, so it
 * gets a copy of them each time. When the map is full it starts over (links are new words each time).
 */
function withLayoutsKept(font: fontkit.Font): fontkit.Font {
  const layout = font.layout.bind(font);
  const kept = new Map<string, fontkit.GlyphRun>();
  font.layout = (text, ...options) => {
    // pdfkit passes features only when a text asks for some; the posters never do.
    if (options.some((option) => option !== undefined)) return layout(text, ...options);
    let run = kept.get(text);
    if (!run) {
      if (kept.size >= MAX_KEPT_LAYOUTS) kept.clear();
      run = layout(text);
      kept.set(text, run);
    }
    const copy: fontkit.GlyphRun = Object.create(Object.getPrototypeOf(run), Object.getOwnPropertyDescriptors(run));
    copy.positions = run.positions.map((position) => ({ ...position }));
    return copy;
  };
  return font;
}

type Face = 'regular' | 'bold';

/** The height of a text set in a face and size at a width: the same for every poster, so measured once. */
interface Heights {
  of(doc: PDFKit.PDFDocument, face: Face, size: number, text: string, width: number): number;
}

function createHeights(): Heights {
  const kept = new Map<string, number>();
  return {
    of(doc, face, size, text, width) {
      const key = `${face} ${size} ${width} ${text}`;
      let height = kept.get(key);
      if (height === undefined) {
        if (kept.size >= MAX_KEPT_LAYOUTS) kept.clear();
        height = doc.font(face).fontSize(size).heightOfString(text, { width });
        kept.set(key, height);
      }
      return height;
    },
  };
}

/** How big a QR code may be for a page with this many chats: one large, two side by side, four in a grid. */
function layoutFor(chats: number): { columns: number; qrMax: number } {
  if (chats <= 1) return { columns: 1, qrMax: 300 };
  if (chats === 2) return { columns: 2, qrMax: 235 };
  return { columns: 2, qrMax: 175 };
}

/**
 * Level Q (25 % of the code may be smudged or torn) unless that makes the modules too small for the
 * printed size; then M (15 %). The link is encoded as bytes, so it decodes exactly as given.
 * The PNG preview is drawn from the same symbol, so what the teacher sees is what is printed.
 */
function qrFor(link: string, sizePt: number): PrintedCode {
  const segments = bytesOf(link);
  const strong = QRCode.create(segments, { errorCorrectionLevel: 'Q' });
  if (sizePt / (strong.modules.size + 2 * QUIET_MODULES) >= MIN_MODULE_PT) return { link, qr: strong };
  return { link, qr: QRCode.create(segments, { errorCorrectionLevel: 'M' }) };
}

/** The link's UTF-8 bytes as one byte-mode segment: what a scanner reads back is exactly the link. */
const bytesOf = (link: string): QRCode.QRCodeSegment[] => [{ data: new TextEncoder().encode(link), mode: 'byte' }];

/** A QR code as printed on the poster: the link and the symbol chosen for it. */
interface PrintedCode {
  link: string;
  qr: QRCode.QRCode;
}

/** The very symbol printed on the poster, as a PNG about 800 px wide with its quiet zone. */
function qrPng({ qr }: PrintedCode): Uint8Array {
  const count = qr.modules.size;
  const scale = Math.max(4, Math.floor(800 / (count + 2 * QUIET_MODULES)));
  const side = (count + 2 * QUIET_MODULES) * scale;
  const rowBytes = bilevelRowBytes(side);
  // All white (1 bits); each row of modules is drawn once, then copied to its `scale` pixel rows.
  const rows = new Uint8Array(rowBytes * side).fill(0xff);
  for (let row = 0; row < count; row += 1) {
    const top = (row + QUIET_MODULES) * scale * rowBytes;
    const line = rows.subarray(top, top + rowBytes);
    for (let column = 0; column < count; column += 1) {
      if (!qr.modules.get(row, column)) continue;
      const left = (column + QUIET_MODULES) * scale;
      for (let x = left; x < left + scale; x += 1) line[x >> 3]! &= ~(0x80 >> (x & 7));
    }
    for (let copy = 1; copy < scale; copy += 1) rows.copyWithin(top + copy * rowBytes, top, top + rowBytes);
  }
  return encodeBilevelPng(side, side, rows);
}

function renderPdf(request: PosterRequest, fonts: Fonts, heights: Heights): Promise<{ pdf: Uint8Array; codes: PrintedCode[] }> {
  const doc = new PDFDocument({
    size: [A4.width, A4.height],
    margin: MARGIN,
    autoFirstPage: false,
    // No default font: pdfkit would parse Helvetica's metrics for every document, and we never use it.
    font: null as unknown as string,
    info: { Title: request.pages.map((p) => p.heading).join('; '), Author: request.pages[0]?.schoolName ?? '' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  // pdfkit accepts a fontkit font as a source (its typings list only files and buffers).
  doc.registerFont('regular', fonts.regular as unknown as Buffer);
  doc.registerFont('bold', fonts.bold as unknown as Buffer);
  const codes: PrintedCode[] = [];
  for (const page of request.pages) {
    doc.addPage();
    codes.push(...drawPage(doc, page, heights));
  }
  doc.end();
  return done.then((pdf) => ({ pdf, codes }));
}

/** Lays out one class's page; returns the QR codes drawn, in the order of the chats. */
function drawPage(doc: PDFKit.PDFDocument, page: PosterPage, heights: Heights): PrintedCode[] {
  const width = A4.width - 2 * MARGIN;
  const left = MARGIN;
  const bottom = A4.height - MARGIN;
  doc.fillColor(BLACK).strokeColor(BLACK);
  let y = MARGIN;

  if (page.schoolName) {
    doc.font('regular').fontSize(14).text(page.schoolName, left, y, { width, align: 'center' });
    y = doc.y + 4;
  }
  doc.font('bold').fontSize(26).text(page.heading, left, y, { width, align: 'center' });
  y = doc.y + 10;
  doc.moveTo(left, y).lineTo(left + width, y).lineWidth(1.5).stroke();
  y += 1.5;

  // The bottom block (steps, then the warning) is measured first: the QR codes get the rest.
  const type = { stepsTitle: 19, step: 15, warning: 10.5, chatTitle: 20 };
  const stepIndent = 24;
  const warningPadding = 8;
  const stepsTitleHeight = heights.of(doc, 'bold', type.stepsTitle, page.stepsTitle, width);
  const stepsHeight = page.steps.reduce((sum, step) => sum + heights.of(doc, 'regular', type.step, step, width - stepIndent) + 6, stepsTitleHeight + 8);
  const warningHeight = heights.of(doc, 'regular', type.warning, page.warning, width - 2 * warningPadding) + 2 * warningPadding;
  const stepsTop = bottom - warningHeight - 18 - stepsHeight;

  // The QR grid: the largest codes that fit between the rule and the steps, centred in that space.
  const { columns, qrMax } = layoutFor(page.chats.length);
  const rows = Math.ceil(page.chats.length / columns);
  const gap = 24;
  const cellWidth = (width - gap * (columns - 1)) / columns;
  const linkSize = page.chats.some((chat) => chat.link.length > 120) ? 8.5 : 10;
  const rowsOfCells = Array.from({ length: rows }, (_, row) => {
    const cells = page.chats.slice(row * columns, row * columns + columns);
    const titleHeight = Math.max(...cells.map((chat) => heights.of(doc, 'bold', type.chatTitle, chat.title, cellWidth)));
    const linkHeight = Math.max(...cells.map((chat) => heights.of(doc, 'regular', linkSize, chat.link, cellWidth)));
    return { cells, titleHeight, linkHeight };
  });
  const rowGap = 22;
  const textHeight = rowsOfCells.reduce((sum, r) => sum + r.titleHeight + 4 + 4 + r.linkHeight, 0) + rowGap * (rows - 1);
  const space = stepsTop - 20 - (y + 16);
  const qrSize = Math.max(100, Math.min(qrMax, cellWidth, (space - textHeight) / rows));
  y += 16 + Math.max(0, (space - textHeight - qrSize * rows) / 2);

  const codes: PrintedCode[] = [];
  for (const { cells, titleHeight, linkHeight } of rowsOfCells) {
    cells.forEach((chat, column) => {
      // A lone code on its row (the third of three) sits in the middle.
      const x = cells.length === 1 ? left + (width - cellWidth) / 2 : left + column * (cellWidth + gap);
      doc.font('bold').fontSize(type.chatTitle).text(chat.title, x, y, { width: cellWidth, align: 'center' });
      codes.push(drawQr(doc, chat.link, x + (cellWidth - qrSize) / 2, y + titleHeight + 4, qrSize));
      doc.font('regular').fontSize(linkSize).text(chat.link, x, y + titleHeight + 4 + qrSize + 4, { width: cellWidth, align: 'center' });
    });
    y += titleHeight + 4 + qrSize + 4 + linkHeight + rowGap;
  }

  y = stepsTop;
  doc.font('bold').fontSize(type.stepsTitle).text(page.stepsTitle, left, y, { width });
  y = doc.y + 8;
  page.steps.forEach((step, index) => {
    doc.font('bold').fontSize(type.step).text(`${index + 1}.`, left, y, { width: stepIndent, lineBreak: false });
    doc.font('regular').fontSize(type.step).text(step, left + stepIndent, y, { width: width - stepIndent });
    y = doc.y + 6;
  });

  const boxTop = bottom - warningHeight;
  doc.rect(left, boxTop, width, warningHeight).lineWidth(1).stroke();
  doc.font('regular').fontSize(type.warning).text(page.warning, left + warningPadding, boxTop + warningPadding, { width: width - 2 * warningPadding });
  return codes;
}

/** Draws a QR code as filled rectangles, one per horizontal run of dark modules, in one path. */
function drawQr(doc: PDFKit.PDFDocument, link: string, x: number, y: number, size: number): PrintedCode {
  const code = qrFor(link, size);
  const { qr } = code;
  const count = qr.modules.size;
  const module = size / (count + 2 * QUIET_MODULES);
  const origin = { x: x + QUIET_MODULES * module, y: y + QUIET_MODULES * module };
  for (let row = 0; row < count; row += 1) {
    let column = 0;
    while (column < count) {
      if (!qr.modules.get(row, column)) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < count && qr.modules.get(row, column)) column += 1;
      doc.rect(origin.x + start * module, origin.y + row * module, (column - start) * module, module);
    }
  }
  doc.fillColor(BLACK).fill();
  return code;
}
