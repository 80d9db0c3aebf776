import { deflateSync } from 'node:zlib';

/**
 * A minimal PNG encoder for black-and-white pictures: 1 bit per pixel greyscale, no filtering, the
 * rows straight to Node's native deflate. An 800 px QR code is 80 KB of rows (an RGBA bitmap would
 * be 2.5 MB, 8-bit grey 640 KB), which deflates in a fraction of a millisecond.
 *
 * `rows`: `height` rows of `bilevelRowBytes(width)` bytes each, the leftmost pixel in the highest
 * bit, 1 white and 0 black; the padding bits at the end of a row are ignored.
 */
export function encodeBilevelPng(width: number, height: number, rows: Uint8Array): Uint8Array {
  const rowBytes = bilevelRowBytes(width);
  if (rows.length !== rowBytes * height) throw new Error(`expected ${height} rows of ${rowBytes} bytes, got ${rows.length} bytes`);
  const stride = rowBytes + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    // Each row starts with its filter type, 0 (none), left as allocated.
    raw.set(rows.subarray(y * rowBytes, (y + 1) * rowBytes), y * stride + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // colour type: greyscale
  // Bytes 10–12: deflate compression, adaptive filtering, no interlace: all 0.
  // Level 3: a 765 px QR code in 0.1 ms and 2 KB; the default level 6 takes 4 times as long for 1 KB.
  return new Uint8Array(
    Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 3 })), chunk('IEND', Buffer.alloc(0))]),
  );
}

/** Bytes in one row of a 1-bit picture `width` pixels wide. */
export const bilevelRowBytes = (width: number): number => Math.ceil(width / 8);

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
