import type { Reply } from '../domain/model.js';
import type { OutboxKind } from '../domain/ports.js';

/** A queued message claimed by a sender, who holds it until `leaseUntil`. */
export interface ClaimedMessage {
  id: number;
  key: string;
  kind: OutboxKind;
  recipientVkId: number;
  teacherId: string | null;
  parts: Reply[];
  /** Stored with the row: a resend after a crash carries the same id, and VK drops it. */
  randomId: number;
  /** Including this claim. */
  attempts: number;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'unreachable';

/**
 * The sending side of the outbox table. Every instant it compares (leases, back-off) is the
 * database's own `now()`: instances on several machines share one clock, whatever their own skew.
 */
export interface OutboxQueue {
  /**
   * Takes up to `limit` pending messages that are due and not held by a live sender, with
   * FOR UPDATE SKIP LOCKED (concurrent senders never take the same row) and a lease
   * (a crashed sender's rows are taken over once it expires); by priority, then oldest first.
   * A message waits while an earlier one to the same person of the same or a higher priority is
   * unsent, so one person's messages arrive in order (a text reply may overtake a file).
   * `keys`: only these messages (the replies an update just queued). `replyGraceMs`: not the
   * replies and files queued less than that ago and never tried: their update is sending them.
   */
  claim(options: { limit: number; leaseMs: number; keys?: readonly string[]; replyGraceMs?: number }): Promise<ClaimedMessage[]>;
  /** Replies and files are deleted then; other messages are kept, without their files, as `sent`. */
  markSent(ids: readonly number[]): Promise<void>;
  /** 901: the person has not allowed messages from the community; not retried. */
  markUnreachable(id: number, error: string): Promise<void>;
  /** A transient failure: back to pending, claimable again after `delayMs`. */
  markRetry(id: number, error: string, delayMs: number): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;
  /**
   * Deletes messages that were settled (sent, unreachable, failed) more than `days` ago; pending
   * ones are kept whatever their age. Returns how many. Keep more days than any reminder cadence:
   * a teacher's last reminder is read from these rows.
   */
  prune(days: number): Promise<number>;
  /** Messages per status (for operators and tests). */
  counts(): Promise<Record<OutboxStatus, number>>;
}
