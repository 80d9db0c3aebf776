import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { OutgoingFile, PosterPage, PosterRequest } from '../domain/model.js';
import type { PosterRenderer } from '../domain/ports.js';
import { posterFonts } from './fonts.js';

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
          files.push({ kind: 'photo', filename: `qr-${index + 1}.png`, content: await qrPng(code) });
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
  regular: Buffer;
  bold: Buffer;
}

/** Both faces (./fonts.ts) are read once per renderer; pdfkit embeds the subset each document uses. */
function loadFonts(): Fonts {
  return { regular: readFileSync(posterFonts.regular), bold: readFileSync(posterFonts.bold) };
}

/** Text heights kept, per renderer: enough for every text of a poster's fixed wording many times over. */
const MAX_KEPT_HEIGHTS = 2000;

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
        if (kept.size >= MAX_KEPT_HEIGHTS) kept.clear();
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
  if (sizePt / (strong.modules.size + 2 * QUIET_MODULES) >= MIN_MODULE_PT) return { link, level: 'Q', qr: strong };
  return { link, level: 'M', qr: QRCode.create(segments, { errorCorrectionLevel: 'M' }) };
}

/** The link's UTF-8 bytes as one byte-mode segment: what a scanner reads back is exactly the link. */
const bytesOf = (link: string): QRCode.QRCodeSegment[] => [{ data: new TextEncoder().encode(link), mode: 'byte' }];

/** A QR code as printed on the poster: the link and the symbol chosen for it. */
interface PrintedCode {
  link: string;
  level: 'Q' | 'M';
  qr: QRCode.QRCode;
}

/**
 * The very symbol printed on the poster (same segments, level, version and mask), as a PNG at least
 * 600 px wide with its quiet zone: plenty to scan from a screen. Each row is filtered against the one
 * above (a QR row repeats `scale` times) instead of pngjs trying five filters per row: a third of
 * the time of qrcode's default; RGBA as qrcode draws it, since converting to grey doubles the time.
 */
function qrPng({ link, level, qr }: PrintedCode): Promise<Uint8Array> {
  const scale = Math.ceil(600 / (qr.modules.size + 2 * QUIET_MODULES));
  return QRCode.toBuffer(bytesOf(link), {
    type: 'png',
    errorCorrectionLevel: level,
    version: qr.version,
    maskPattern: qr.maskPattern,
    margin: QUIET_MODULES,
    scale,
    // pngjs options, passed through by qrcode (its typings list only the deflate ones).
    rendererOpts: { filterType: 2 } as QRCode.QRCodeToBufferOptions['rendererOpts'],
  });
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
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
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
