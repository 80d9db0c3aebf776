/** With `stateDir`, the fake VK keeps its state on disk, so a restart continues where it stopped. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LongPoll } from './long-poll.js';
import type { Mailbox, MessageEvent } from './mailbox.js';
import type { EventAnswer, FakeUser, ReceivedMessage, SentMessage, StoredDoc, StoredPhoto } from './types.js';
import { FILES_DIR, type Uploads } from './uploads.js';

const STATE_VERSION = 1;
const STATE_FILE = 'state.json';

/** What `stateDir` holds besides the files: everything a restart needs to continue. */
interface PersistedState {
  version: typeof STATE_VERSION;
  groupId: number;
  /** Server root the URLs inside the state point at; rewritten when the port changes. */
  url: string;
  firstTs: number;
  updates: object[];
  nextMessageId: number;
  nextPhotoId: number;
  nextDocId: number;
  conversationMessageIds: [number, number][];
  sent: SentMessage[];
  received: ReceivedMessage[];
  eventAnswers: EventAnswer[];
  messageEvents: [string, MessageEvent][];
  users: [number, FakeUser][];
  blockedPeers: number[];
  documents: Omit<StoredDoc, 'bytes'>[];
  photos: Omit<StoredPhoto, 'bytes'>[];
  files: { key: string; contentType: string; filename?: string }[];
}

/** The parts of the fake VK that hold state. */
export interface PersistedParts {
  groupId: number;
  url: string;
  mailbox: Mailbox;
  longPoll: LongPoll;
  uploads: Uploads;
}

export function saveState(dir: string, { groupId, url, mailbox, longPoll, uploads }: PersistedParts): void {
  const state: PersistedState = {
    version: STATE_VERSION,
    groupId,
    url,
    firstTs: longPoll.firstTs,
    updates: longPoll.updates,
    nextMessageId: mailbox.nextMessageId,
    nextPhotoId: mailbox.nextPhotoId,
    nextDocId: mailbox.nextDocId,
    conversationMessageIds: [...mailbox.conversationMessageIds],
    sent: mailbox.sent,
    received: mailbox.received,
    eventAnswers: mailbox.eventAnswers,
    messageEvents: [...mailbox.messageEvents],
    users: [...mailbox.users],
    blockedPeers: [...mailbox.blockedPeers],
    documents: mailbox.documents.map(({ bytes: _bytes, ...doc }) => doc),
    photos: mailbox.photos.map(({ bytes: _bytes, ...photo }) => photo),
    files: [...uploads.files].map(([key, { contentType, filename }]) => ({ key, contentType, ...(filename === undefined ? {} : { filename }) })),
  };
  mkdirSync(dir, { recursive: true });
  // Write-then-rename: a crash mid-write leaves the previous state, never half a file.
  const path = join(dir, STATE_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(state));
  renameSync(`${path}.tmp`, path);
}

/** Loads the state a previous run left in `dir`, if any. */
export function restoreState(dir: string, { groupId, url, mailbox, longPoll, uploads }: PersistedParts): void {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) return;
  let state: PersistedState;
  try {
    const text = readFileSync(path, 'utf8');
    const { url: storedUrl } = JSON.parse(text) as { url?: unknown };
    // URLs inside stored messages point at the previous port: move them to this one.
    state = JSON.parse(typeof storedUrl === 'string' && storedUrl !== url ? text.replaceAll(`${storedUrl}/`, `${url}/`) : text) as PersistedState;
  } catch (error) {
    throw new Error(`The VK emulator state in ${path} cannot be read; delete the folder to start afresh`, { cause: error });
  }
  if (state.version !== STATE_VERSION) {
    throw new Error(`The VK emulator state in ${path} has version ${String(state.version)}, expected ${STATE_VERSION}; delete the folder to start afresh`);
  }
  if (state.groupId !== groupId) {
    throw new Error(`The VK emulator state in ${path} belongs to community ${state.groupId}, not ${groupId}`);
  }
  const readBytes = (key: string): Buffer => readFileSync(join(dir, FILES_DIR, key));
  for (const file of state.files) {
    uploads.files.set(file.key, { bytes: readBytes(file.key), contentType: file.contentType, ...(file.filename === undefined ? {} : { filename: file.filename }) });
  }
  longPoll.firstTs = state.firstTs;
  longPoll.updates = state.updates;
  mailbox.nextMessageId = state.nextMessageId;
  mailbox.nextPhotoId = state.nextPhotoId;
  mailbox.nextDocId = state.nextDocId;
  for (const [peerId, id] of state.conversationMessageIds) mailbox.conversationMessageIds.set(peerId, id);
  for (const message of state.sent) {
    mailbox.sent.push(message);
    if (message.randomId !== 0) mailbox.sentByRandomId.set(`${message.peerId}:${message.randomId}`, message);
  }
  mailbox.received.push(...state.received);
  mailbox.eventAnswers.push(...state.eventAnswers);
  for (const [eventId, event] of state.messageEvents) mailbox.messageEvents.set(eventId, event);
  for (const [id, user] of state.users) mailbox.users.set(id, user);
  for (const peerId of state.blockedPeers) mailbox.blockedPeers.add(peerId);
  for (const doc of state.documents) mailbox.documents.push({ ...doc, bytes: readBytes(`doc${doc.ownerId}_${doc.id}`) });
  for (const photo of state.photos) mailbox.photos.push({ ...photo, bytes: readBytes(`photo${photo.ownerId}_${photo.id}`) });
}
