import type { Reply } from '../domain/model.js';

/** A queued message claimed by a sender, who holds it until `leaseUntil`. */
export interface ClaimedMessage {
  id: number;
  key: string;
  kind: 'reminder' | 'summary' | 'notice';
  recipientVkId: number;
  teacherId: string | null;
  parts: Reply[];
  /** Stored with the row: a resend after a crash carries the same id, and VK drops it. */
  randomId: number;
  /** Including this claim. */
  attempts: number;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'unreachable';

/** The sending side of the outbox table. */
export interface OutboxQueue {
  /**
   * Takes up to `limit` pending messages that are due and not held by a live sender, with
   * FOR UPDATE SKIP LOCKED (concurrent senders never take the same row) and a lease
   * (a crashed sender's rows are taken over once it expires).
   */
  claim(options: { limit: number; now: Date; leaseMs: number }): Promise<ClaimedMessage[]>;
  markSent(ids: readonly number[], at: Date): Promise<void>;
  /** 901: the person has not allowed messages from the community; not retried. */
  markUnreachable(id: number, error: string): Promise<void>;
  /** A transient failure: back to pending, not before `availableAt`. */
  markRetry(id: number, error: string, availableAt: Date): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  /** Messages per status (for operators and tests). */
  counts(): Promise<Record<OutboxStatus, number>>;
}
