import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { adminTexts } from '../domain/admin/texts.js';
import { posterFonts as fonts } from './fonts.js';

export interface StartPosterInput {
  schoolName: string;
  /** The community's dialog, e.g. https://vk.me/club123. */
  botUrl: string;
  joinCode: string;
}

/** The poster's words, exported so a test can read them back from the PDF. */
export const startPosterText = adminTexts.startPoster;

/** The QR code as a PNG: large, with a quiet zone, medium error correction (survives a crease). */
export function startPosterQr(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 900 });
}

/**
 * A4 poster for the staff room: a community bot cannot write first, so teachers scan this to open
 * the dialog. PT Sans carries the Cyrillic (./fonts.ts).
 */
export async function renderStartPoster(input: StartPosterInput): Promise<Uint8Array> {
  const qr = await startPosterQr(input.botUrl);
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: startPosterText.title, Author: input.schoolName } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const width = doc.page.width - 100;

  doc.font('bold').fontSize(30).text(startPosterText.title, { align: 'center', width });
  doc.moveDown(0.3).font('regular').fontSize(18).text(input.schoolName, { align: 'center', width });
  const size = 300;
  doc.image(qr, (doc.page.width - size) / 2, doc.y + 20, { width: size, height: size });
  doc.y += size + 40;
  doc.font('regular').fontSize(12).fillColor('#555555').text(input.botUrl, { align: 'center', width });
  doc.moveDown(1).fillColor('#000000').fontSize(18);
  for (const line of startPosterText.lines(input.joinCode)) doc.text(line, { width }).moveDown(0.4);
  doc.moveDown(1).fontSize(12).fillColor('#555555').text(startPosterText.footer, { width });
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
