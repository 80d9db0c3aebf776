import type { MessageContext, PhotoAttachment } from 'vk-io';
import { texts } from '../domain/conversation/texts.js';
import type { Input, PhotoEvidence } from '../domain/model.js';
import { parsePayload } from '../domain/payload.js';
import { cleanText } from '../domain/validation/clean-text.js';

/**
 * Reduces a VK message to what the conversation understands. `rawPayload` is the payload string
 * as VK sent it (removed from the update before vk-io parses it, because invalid JSON would throw).
 */
export function toInput(context: MessageContext, rawPayload: string | undefined): Input {
  // Every free text is cleaned here, once: the conversation, the parsers and the database never see
  // a NUL, a bidi override or a zero-width character.
  const text = cleanText(context.text ?? '');
  const [photo] = context.getAttachments('photo');
  if (photo) return { type: 'photo', photo: photoEvidence(photo), text };
  const [doc] = context.getAttachments('doc');
  if (doc?.url) return { type: 'document', document: { url: doc.url, filename: documentName(doc.title, doc.extension), size: doc.size ?? null }, text };
  if (rawPayload !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(rawPayload);
    } catch {
      return { type: 'forged_button' };
    }
    const parsed = parsePayload(json);
    if (parsed.kind === 'payload') return { type: 'button', payload: parsed.payload };
    if (parsed.kind === 'start') return { type: 'text', text: text || texts.startWord };
    return { type: 'forged_button' };
  }
  if (text.trim() !== '') return { type: 'text', text };
  return { type: 'unsupported' };
}

function photoEvidence(photo: PhotoAttachment): PhotoEvidence {
  const largest = [...(photo.sizes ?? [])].sort((a, b) => b.width * b.height - a.width * a.height)[0];
  return {
    attachment: photo.toString(),
    url: largest?.url ?? photo.largeSizeUrl ?? null,
    width: largest?.width ?? null,
    height: largest?.height ?? null,
  };
}

/** A document's title may have lost its extension (users rename documents); the file type comes from `ext`. */
export function documentName(title: string | undefined, rawExtension: string | undefined): string {
  const name = cleanText(title ?? '').trim() || 'file';
  const extension = cleanText(rawExtension ?? '').trim();
  return extension && !name.toLowerCase().endsWith(`.${extension.toLowerCase()}`) ? `${name}.${extension}` : name;
}
