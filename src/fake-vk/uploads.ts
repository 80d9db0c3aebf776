/** Upload servers (`POST /upload/photo`, `/upload/doc`) and stored files (`GET /files/<key>`). */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError, readBody, sendJson } from '../http/io.js';
import { ownValue, unixTime } from './api.js';
import { parseMultipart } from './multipart.js';

const MAX_UPLOAD_BODY_BYTES = 50 * 1024 * 1024;
/** Subfolder of `stateDir` the files are kept in, one per key. */
export const FILES_DIR = 'files';

/** Nominal photo sizes; every size serves the same bytes. */
const PHOTO_SIZES = [
  { type: 's', width: 75, height: 75 },
  { type: 'm', width: 130, height: 130 },
  { type: 'x', width: 604, height: 604 },
  { type: 'y', width: 807, height: 807 },
  { type: 'z', width: 1080, height: 1080 },
];

/** VK numeric document types by extension; anything else is 8 ("unknown"). */
export const DOC_TYPES_BY_EXT: Record<string, number> = {
  txt: 1, pdf: 1, doc: 1, docx: 1, xls: 1, xlsx: 1, odt: 1, rtf: 1, csv: 1,
  zip: 2, rar: 2, '7z': 2,
  gif: 3,
  jpg: 4, jpeg: 4, png: 4, webp: 4,
  mp3: 5, ogg: 5, wav: 5,
  mp4: 6, avi: 6,
  epub: 7, fb2: 7,
};

const CONTENT_TYPES_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf', txt: 'text/plain; charset=utf-8', csv: 'text/csv; charset=utf-8',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

/** A valid 1×1 transparent PNG, the default content of user photos. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export interface PendingUpload {
  kind: 'photo' | 'doc';
  /** For documents: the `type` requested from the upload server. */
  docType: string;
  filename: string;
  bytes: Buffer;
}

export interface StoredFile {
  bytes: Buffer;
  contentType: string;
  /** Documents keep their title, so a download is saved under it. */
  filename?: string;
}

export class Uploads {
  readonly files = new Map<string, StoredFile>();
  private readonly pending = new Map<string, PendingUpload>();

  constructor(
    private readonly url: string,
    private readonly stateDir: string | undefined,
  ) {}

  /** Removes and returns a pending upload of the given kind; each upload can be saved once. */
  take(uploadKey: string | undefined, kind: PendingUpload['kind']): PendingUpload | undefined {
    if (uploadKey === undefined) return undefined;
    const upload = this.pending.get(uploadKey);
    if (!upload || upload.kind !== kind) return undefined;
    this.pending.delete(uploadKey);
    return upload;
  }

  async handleUpload(kind: 'photo' | 'doc', url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_UPLOAD_BODY_BYTES);
    const parts = parseMultipart(body, req.headers['content-type']);
    const field = kind === 'photo' ? 'photo' : 'file';
    const part = parts.find((candidate) => candidate.name === field && candidate.filename !== undefined);

    if (!part) {
      // VK's upload servers answer 200 with an error description rather than an HTTP error.
      sendJson(res, 200, { error: 'no_file', error_descr: `multipart field "${field}" with a file is required` });
      return;
    }

    const uploadKey = randomBytes(16).toString('hex');
    this.pending.set(uploadKey, {
      kind,
      docType: url.searchParams.get('type') ?? 'doc',
      filename: part.filename ?? 'file',
      bytes: part.data,
    });

    if (kind === 'photo') {
      sendJson(res, 200, { server: 1, photo: JSON.stringify([{ photo: uploadKey }]), hash: uploadHash(uploadKey) });
    } else {
      sendJson(res, 200, { file: uploadKey });
    }
  }

  handleDownload(key: string, res: ServerResponse): void {
    const file = this.files.get(key);
    if (!file) throw new HttpError(404, 'File not found');
    const headers: Record<string, string | number> = { 'content-type': file.contentType, 'content-length': file.bytes.length };
    // Inline: a PDF opens in the browser; the name is what a "save" uses.
    if (file.filename !== undefined) headers['content-disposition'] = contentDisposition(file.filename);
    res.writeHead(200, headers);
    res.end(file.bytes);
  }

  /** Keeps a file for download; with `stateDir` also on disk (files never change once stored). */
  storeFile(key: string, file: StoredFile): void {
    this.files.set(key, file);
    if (this.stateDir !== undefined) {
      const dir = join(this.stateDir, FILES_DIR);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, key), file.bytes);
    }
  }

  /** Stores the bytes for download and returns the photo object as VK shows it in messages. */
  storePhotoFile(id: number, ownerId: number, accessKey: string, bytes: Buffer): Record<string, unknown> {
    const fileKey = `photo${ownerId}_${id}`;
    this.storeFile(fileKey, { bytes, contentType: sniffImageType(bytes) });
    const fileUrl = `${this.url}/files/${fileKey}`;
    return {
      album_id: -3,
      date: unixTime(),
      id,
      owner_id: ownerId,
      access_key: accessKey,
      sizes: PHOTO_SIZES.map((size) => ({ ...size, url: fileUrl })),
      text: '',
      has_tags: false,
    };
  }
}

/** The upload key inside the `photo` string the upload server returned (`[{"photo":"<key>"}]`). */
export function photoUploadKey(photo: string | undefined): string | undefined {
  try {
    const key: unknown = (JSON.parse(photo ?? '[]') as { photo?: unknown }[])[0]?.photo;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

export function uploadHash(uploadKey: string): string {
  return createHash('md5').update(uploadKey).digest('hex');
}

export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot === -1 ? '' : filename.slice(dot + 1).toLowerCase();
}

export function contentTypeOf(ext: string): string {
  return ownValue(CONTENT_TYPES_BY_EXT, ext) ?? 'application/octet-stream';
}

function sniffImageType(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(TINY_PNG.subarray(0, 8))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return 'application/octet-stream';
}

/** `inline` with the name twice: plain ASCII for old clients, RFC 5987 UTF-8 for the rest. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
