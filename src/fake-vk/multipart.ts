/** A minimal multipart/form-data parser, enough for the files vk-io and browsers upload. */

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** Minimal multipart/form-data parser: splits by boundary and reads Content-Disposition/Content-Type. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) return [];

  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    const partStart = position + delimiter.length;
    // "--boundary--" closes the body.
    if (body.subarray(partStart, partStart + 2).toString('latin1') === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;

    const part = trimCrlf(body.subarray(partStart, next));
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /content-disposition:[^\r\n]*?[;\s]name="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) {
        const parsed: MultipartPart = { name, data: part.subarray(headerEnd + 4) };
        const filename = /content-disposition:[^\r\n]*?filename="([^"]*)"/i.exec(headers)?.[1];
        const partType = /^content-type:\s*([^\r\n]+)/im.exec(headers)?.[1];
        if (filename !== undefined) parsed.filename = decodeFilename(filename);
        if (partType !== undefined) parsed.contentType = partType.trim();
        parts.push(parsed);
      }
    }
    position = next;
  }
  return parts;
}

function trimCrlf(buffer: Buffer): Buffer {
  let start = 0;
  let end = buffer.length;
  if (buffer[0] === 0x0d && buffer[1] === 0x0a) start = 2;
  if (end - start >= 2 && buffer[end - 2] === 0x0d && buffer[end - 1] === 0x0a) end -= 2;
  return buffer.subarray(start, end);
}

/** form-data encoders escape `"`, CR and LF in filenames as %22, %0D, %0A. */
function decodeFilename(filename: string): string {
  return filename.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}
