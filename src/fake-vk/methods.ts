/** The API methods the fake VK answers (`POST /method/<name>`), each checking its params as VK does. */
import { randomBytes } from 'node:crypto';
import { ApiError, ERROR_MESSAGES, type Params, ownValue, parseInteger, splitList, unixTime } from './api.js';
import type { LongPoll } from './long-poll.js';
import type { Mailbox } from './mailbox.js';
import { keyboardFormatError } from './keyboard-check.js';
import type { EventAnswer } from './types.js';
import { DOC_TYPES_BY_EXT, type Uploads, contentTypeOf, extensionOf, photoUploadKey, uploadHash } from './uploads.js';

const MAX_MESSAGE_LENGTH = 4096;

export type MethodHandler = (params: Params) => unknown;

/** The parts of the fake VK the methods read and change. */
export interface MethodContext {
  groupId: number;
  /** Server root, for the URLs the methods hand out. */
  url: string;
  mailbox: Mailbox;
  longPoll: LongPoll;
  uploads: Uploads;
  /** Notes a change of the state (see persistence.ts). */
  changed(): void;
}

export function createMethodHandlers(vk: MethodContext): Map<string, MethodHandler> {
  const { mailbox, uploads } = vk;

  const isOwnGroupReference = (reference: string): boolean => {
    const id = /^(?:club|public|-)?(\d+)$/.exec(reference)?.[1];
    return id !== undefined && Number(id) === vk.groupId;
  };

  const groupsGetById = (p: Params): unknown => {
    const requested = p.group_ids ?? p.group_id;
    if (requested !== undefined && !splitList(requested).every((id) => isOwnGroupReference(id))) {
      throw new ApiError(100, 'group_ids is invalid');
    }
    return {
      groups: [{ id: vk.groupId, name: 'Школа', screen_name: `club${vk.groupId}`, is_closed: 0, type: 'group' }],
      profiles: [],
    };
  };

  const groupsGetLongPollServer = (p: Params): unknown => {
    if (p.group_id === undefined) throw new ApiError(100, 'group_id is undefined');
    if (Number(p.group_id) !== vk.groupId) throw new ApiError(15, 'no access to this group');
    return { server: `${vk.url}/lp`, key: vk.longPoll.createKey(), ts: String(vk.longPoll.nextTs()) };
  };

  const messagesSend = (p: Params): unknown => {
    const randomId = parseInteger(p.random_id, 'random_id');
    const message = p.message ?? '';
    const attachment = p.attachment || undefined;
    if (message.trim() === '' && attachment === undefined && !p.sticker_id && !p.forward_messages && !p.forward) {
      throw new ApiError(100, 'message is empty or invalid');
    }
    if (message.length > MAX_MESSAGE_LENGTH) throw new ApiError(914);

    let keyboard: unknown;
    if (p.keyboard) {
      const problem = keyboardFormatError(p.keyboard);
      if (problem) throw new ApiError(911, problem);
      keyboard = JSON.parse(p.keyboard);
    }

    const draft = { randomId, message, keyboard, attachment, payload: p.payload };

    if (p.peer_ids !== undefined) {
      const peerIds = splitList(p.peer_ids).map((id) => parseInteger(id, 'peer_ids'));
      if (peerIds.length === 0) throw new ApiError(100, 'peer_ids is undefined');
      return peerIds.map((peerId) => {
        if (mailbox.blockedPeers.has(peerId)) {
          return { peer_id: peerId, error: { code: 901, description: ERROR_MESSAGES[901] } };
        }
        const sent = mailbox.deliver(peerId, draft);
        return { peer_id: peerId, message_id: sent.messageId, conversation_message_id: sent.conversationMessageId };
      });
    }

    const peerId = parseInteger(p.peer_id ?? p.user_id, 'peer_id');
    if (mailbox.blockedPeers.has(peerId)) throw new ApiError(901);
    return mailbox.deliver(peerId, draft).messageId;
  };

  const messagesSendMessageEventAnswer = (p: Params): unknown => {
    const eventId = p.event_id ?? '';
    const userId = parseInteger(p.user_id, 'user_id');
    const peerId = parseInteger(p.peer_id, 'peer_id');
    const event = mailbox.messageEvents.get(eventId);
    if (!event || event.userId !== userId || event.peerId !== peerId) throw new ApiError(100, 'event_id is invalid');
    // VK lets a press be answered once; the button's spinner is gone after that.
    if (event.answered) throw new ApiError(100, 'event_id is already answered');
    let eventData: Record<string, unknown> | undefined;
    if (p.event_data) {
      try {
        eventData = JSON.parse(p.event_data) as Record<string, unknown>;
      } catch {
        throw new ApiError(100, 'event_data is invalid');
      }
      if (typeof eventData !== 'object' || eventData === null || Array.isArray(eventData)) throw new ApiError(100, 'event_data is invalid');
    }
    event.answered = true;
    const answer: EventAnswer = { eventId, userId, peerId, at: Date.now() };
    if (eventData !== undefined) answer.eventData = eventData;
    mailbox.eventAnswers.push(answer);
    mailbox.events.emit('answer', answer);
    vk.changed();
    return 1;
  };

  const usersGet = (p: Params): unknown => {
    const fields = new Set(splitList(p.fields ?? ''));
    return splitList(p.user_ids ?? p.user_id ?? '').map((reference) => {
      const found = mailbox.findUser(reference);
      if (!found) throw new ApiError(113);
      const [id, user] = found;
      return {
        id,
        first_name: user.first_name,
        last_name: user.last_name,
        // Like VK, screen_name is only returned when requested through `fields`.
        ...(fields.has('screen_name') ? { screen_name: user.screen_name ?? `id${id}` } : {}),
        can_access_closed: true,
        is_closed: false,
      };
    });
  };

  const resolveScreenName = (p: Params): unknown => {
    const screenName = p.screen_name ?? '';
    if (isOwnGroupReference(screenName)) return { type: 'group', object_id: vk.groupId };
    const found = /^\d+$/.test(screenName) ? undefined : mailbox.findUser(screenName);
    return found ? { type: 'user', object_id: found[0] } : [];
  };

  const photosSaveMessagesPhoto = (p: Params): unknown => {
    const uploadKey = photoUploadKey(p.photo);
    if (uploadKey !== undefined && p.hash !== uploadHash(uploadKey)) throw new ApiError(121);
    const upload = uploads.take(uploadKey, 'photo');
    if (!upload) throw new ApiError(100, 'photos_list is invalid');

    const id = mailbox.nextPhotoId++;
    const ownerId = -vk.groupId;
    const accessKey = randomBytes(9).toString('hex');
    mailbox.photos.push({ id, ownerId, accessKey, bytes: upload.bytes });
    const photo = uploads.storePhotoFile(id, ownerId, accessKey, upload.bytes);
    vk.changed();
    return [photo];
  };

  const docsGetUploadServer = (p: Params, { requirePeer }: { requirePeer: boolean }): unknown => {
    if (requirePeer && p.peer_id === undefined) throw new ApiError(100, 'peer_id is undefined');
    const type = p.type ?? 'doc';
    return { upload_url: `${vk.url}/upload/doc?type=${encodeURIComponent(type)}` };
  };

  const docsSave = (p: Params): unknown => {
    const upload = uploads.take(p.file, 'doc');
    if (!upload) throw new ApiError(100, 'file is invalid');

    const id = mailbox.nextDocId++;
    const ownerId = -vk.groupId;
    const ext = extensionOf(upload.filename);
    const title = p.title || upload.filename;
    mailbox.documents.push({ id, ownerId, title, type: upload.docType, ext, bytes: upload.bytes });

    const fileKey = `doc${ownerId}_${id}`;
    uploads.storeFile(fileKey, { bytes: upload.bytes, contentType: contentTypeOf(ext), filename: title });
    vk.changed();
    const doc = {
      id,
      owner_id: ownerId,
      title,
      size: upload.bytes.length,
      ext,
      date: unixTime(),
      type: ownValue(DOC_TYPES_BY_EXT, ext) ?? 8,
      url: `${vk.url}/files/${fileKey}`,
    };
    return { type: upload.docType, [upload.docType]: doc };
  };

  return new Map(
    Object.entries<MethodHandler>({
      'groups.getById': groupsGetById,
      'groups.getLongPollServer': groupsGetLongPollServer,
      'messages.send': messagesSend,
      'users.get': usersGet,
      'utils.resolveScreenName': resolveScreenName,
      'photos.getMessagesUploadServer': () => ({
        album_id: -64,
        upload_url: `${vk.url}/upload/photo?gid=${vk.groupId}`,
        user_id: 0,
        group_id: vk.groupId,
      }),
      'photos.saveMessagesPhoto': photosSaveMessagesPhoto,
      'docs.getMessagesUploadServer': (p) => docsGetUploadServer(p, { requirePeer: true }),
      'docs.getUploadServer': (p) => docsGetUploadServer(p, { requirePeer: false }),
      'docs.save': docsSave,
      'messages.sendMessageEventAnswer': messagesSendMessageEventAnswer,
    }),
  );
}
