import jsQRModule from 'jsqr';
import { PDFParse } from 'pdf-parse';
import { PNG } from 'pngjs';

/**
 * jsqr is a UMD bundle whose typings declare an ES default export: under NodeNext the default import
 * is typed as the module object, while at run time it is the function itself (or has it as default).
 */
type JsQr = (typeof jsQRModule)['default'];
const jsQR: JsQr = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

/** A decoded PNG as pngjs gives it: RGBA bytes, row by row. */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

const toBitmap = (image: Uint8Array | Bitmap): Bitmap => (image instanceof Uint8Array ? PNG.sync.read(Buffer.from(image)) : image);

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Decodes the QR code in a PNG, or in one region of it; returns its raw bytes, or null when none is found. */
export function decodeQr(image: Uint8Array | Bitmap, region?: Region): Uint8Array | null {
  const png = toBitmap(image);
  const { x, y, width, height } = region ?? { x: 0, y: 0, width: png.width, height: png.height };
  const data = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row += 1) {
    const from = ((y + row) * png.width + x) * 4;
    data.set(png.data.subarray(from, from + width * 4), row * width * 4);
  }
  const code = jsQR(data, width, height);
  return code ? Uint8Array.from(code.binaryData) : null;
}

/** The QR codes of a two-column page, left then right, as text. */
export function decodeColumns(image: Uint8Array | Bitmap): (string | null)[] {
  const png = toBitmap(image);
  const half = Math.floor(png.width / 2);
  return [
    { x: 0, y: 0, width: half, height: png.height },
    { x: half, y: 0, width: png.width - half, height: png.height },
  ].map((region) => {
    const bytes = decodeQr(png, region);
    return bytes ? new TextDecoder().decode(bytes) : null;
  });
}

/** The QR codes of the first page of a PDF, decoded from the rendered page: left column, then right. */
export async function qrCodesOfPdf(bytes: Uint8Array): Promise<{ text: string; pages: number; codes: (string | null)[] }> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    const { text, total } = await parser.getText();
    const shot = await parser.getScreenshot({ scale: 2, imageBuffer: true, first: 1 });
    return { text, pages: total, codes: decodeColumns(shot.pages[0]!.data) };
  } finally {
    await parser.destroy();
  }
}
