import type { Payload } from './payload.js';

/** A local calendar date in the school's time zone, `YYYY-MM-DD`. */
export type LocalDate = string;

export interface School {
  id: string;
  name: string;
  /** The school's own steps for the eo_link task; shown to teachers when set. */
  eoInstructions?: string | null;
}

export interface Teacher {
  id: string;
  schoolId: string;
  vkId: number | null;
  fullName: string;
  classes: string[];
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface PhotoEvidence {
  /** VK attachment string, e.g. `photo123_456_key`: enough to show the photo again. */
  attachment: string;
  url: string | null;
  width: number | null;
  height: number | null;
}

export type Evidence =
  | { kind: 'confirm' }
  | { kind: 'links'; links: Record<string, string> }
  | { kind: 'photo'; photo: PhotoEvidence | null }
  /** A poster hung in the classroom: the links its QR codes carry (to tell when it is outdated) and its photo. */
  | { kind: 'poster'; links: Record<string, string>; photo: PhotoEvidence | null }
  | { kind: 'report'; values: Record<string, string | number> };

export type CompletionStatus = 'done' | 'not_applicable';

/** One recorded answer: a task, or one class of a per-class task (`className` is null otherwise). */
export interface Completion {
  task: string;
  className: string | null;
  status: CompletionStatus;
  evidence: Evidence | null;
  reason: string | null;
  at: Date;
}

/** What a teacher sent, reduced to what the conversation understands. */
export type Input =
  | { type: 'text'; text: string }
  | { type: 'button'; payload: Payload }
  | { type: 'forged_button' }
  | { type: 'photo'; photo: PhotoEvidence; text: string }
  /** A file sent as a document (a roster for the administrator; teachers are asked for photos instead). */
  | { type: 'document'; document: IncomingDocument; text: string }
  | { type: 'unsupported' }
  /** An admin button or command from someone who is not an administrator (the conversation service decides by role). */
  | { type: 'admin_only' };

/** Who in the school already gave a chat link, and for which class (active teachers' links tasks). */
export interface LinkOwner {
  link: string;
  teacherId: string;
  className: string | null;
}

export interface IncomingDocument {
  /** Where the messenger serves the file; downloaded only for administrators. */
  url: string;
  filename: string;
  /** Bytes, as the messenger reports it (null when unknown). */
  size: number | null;
}

export type ButtonColor = 'primary' | 'secondary' | 'positive' | 'negative';
export interface Button {
  label: string;
  payload: Payload;
  color?: ButtonColor;
}

/** A file to attach to a message: a document (PDF, XLSX…) or a picture shown inline. */
export interface OutgoingFile {
  kind: 'document' | 'photo';
  filename: string;
  content: Uint8Array;
}

/** One printed A4 page: a class's chats as large QR codes, with everything a parent needs to join. */
export interface PosterPage {
  schoolName: string;
  className: string;
  heading: string;
  chats: { title: string; link: string }[];
  stepsTitle: string;
  steps: string[];
  /** Printed small at the bottom: resetting a chat's link makes the poster useless. */
  warning: string;
}

/** A QR poster to render as a PDF (a page per class), with a PNG of each QR code when `previews`. */
export interface PosterRequest {
  /** Latin file name, e.g. `plakat-5A.pdf`: VK shows it as the document's title. */
  filename: string;
  pages: PosterPage[];
  previews: boolean;
}

/**
 * A message to send: text, at most a few rows of buttons, and files. The transport renders it.
 * A reply with files or a poster is sent as a message of its own, after the text replies (see
 * `replyMessages`): a teacher never waits for a file.
 */
export interface Reply {
  text: string;
  buttons?: Button[][];
  files?: OutgoingFile[];
  /** A poster to attach, rendered (or found already uploaded) by the outbox sender just before it is sent. */
  poster?: PosterRequest;
  /** Files the messenger already holds, by its own ids (e.g. `doc-1_651001`): a poster sent before. */
  attachments?: string[];
  /**
   * The summary's picture, as data (an outbox row carries it): drawn and attached as a photo when
   * the message is sent; without it when drawing or uploading fails.
   */
  chart?: SummaryChart;
  /** Sent instead when the files cannot be made or uploaded: the conversation goes on without them. */
  withoutFiles?: Reply;
}

/** One bar of the summary's picture: `value` of `total`. */
export interface ChartBar {
  label: string;
  value: number;
  total: number;
}

/**
 * What the summary's picture shows, taken from the same model as the summary's text: per task how
 * many teachers have it done of those it applies to. Plain data, so an outbox row can carry it and
 * the picture is drawn when the message is sent.
 */
export interface SummaryChart {
  title: string;
  subtitle: string;
  sections: { heading: string; bars: ChartBar[] }[];
}
