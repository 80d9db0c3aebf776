/**
 * When the next VK API request may start. VK counts a token's requests in a sliding second by
 * their arrival (the fake VK does exactly that), so the pacer keeps two rules, both on the clock
 * rather than on a timer started by the previous request:
 *
 * - **Window:** a request starts only once the one `limit` starts back has left the window, i.e.
 *   `windowMs` after it reached VK. When it arrived is known only as "before its answer came
 *   back", so that is the time used; a request still unanswered `maxTransitMs` after it left the
 *   process is assumed to have arrived by then (a slow answer must not stall the pipeline). It
 *   left the process once the event loop turned after its start: a long synchronous stretch right
 *   after the start can hold it back (and does, with a VK emulator in the same process).
 * - **Pace:** starts are spread `windowMs / limit` apart on an ideal schedule, so requests under a
 *   steady load each carry what queued up meanwhile (bigger `execute` batches, short waits)
 *   instead of a burst using up the second and everything after it waiting. The schedule does not
 *   drift: a start that a busy event loop made late does not push the next ones back, and slots a
 *   blocked loop missed while requests waited are made up at once, as far as the window allows.
 *
 * Pure: times are milliseconds of any monotonic clock, passed in.
 */
export interface RequestPacer {
  /** The earliest time a request may start, `now` or later. */
  nextStart(now: number): number;
  /**
   * Records a request started at `now` (at least `nextStart(now)`); `waited` when it was queued
   * for this slot (rather than arriving to an idle pipeline).
   */
  started(now: number, waited: boolean): StartedRequest;
  /** Requests per window from now on (an instance's share of the token changes at run time). */
  setLimit(perWindow: number): void;
  readonly limit: number;
}

export interface StartedRequest {
  /** The event loop turned after the start: the request has left the process. */
  left(at: number): void;
  /** Its answer (or failure) came back. */
  answered(at: number): void;
}

export interface PacerOptions {
  perWindow: number;
  /** VK's second, plus 1 ms for the rounding between this clock and VK's. */
  windowMs?: number;
  maxTransitMs?: number;
}

export const DEFAULT_WINDOW_MS = 1001;
/** Covers a cold first request (a new connection) and a busy event loop; a slower answer costs at most this per window. */
export const DEFAULT_MAX_TRANSIT_MS = 100;

interface Start {
  at: number;
  /** When it left the process; until known, its start. */
  leftAt: number;
  /** When its answer came back; until then, unknown. */
  answeredAt?: number;
}

export function createRequestPacer(options: PacerOptions): RequestPacer {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxTransitMs = options.maxTransitMs ?? DEFAULT_MAX_TRANSIT_MS;
  let limit = validLimit(options.perWindow);
  /** The last `limit` starts, oldest first: only those matter to the window's rule. */
  const starts: Start[] = [];
  /** The ideal time of the next start on the even pace. */
  let slot = Number.NEGATIVE_INFINITY;

  function windowOpensAt(): number {
    if (starts.length < limit) return Number.NEGATIVE_INFINITY;
    const oldest = starts[starts.length - limit]!;
    return Math.min(oldest.answeredAt ?? Number.POSITIVE_INFINITY, oldest.leftAt + maxTransitMs) + windowMs;
  }

  return {
    nextStart(now) {
      return Math.max(now, slot, windowOpensAt());
    },
    started(now, waited) {
      const gap = windowMs / limit;
      // After an idle spell the schedule restarts from now. Otherwise it stays, whatever made this
      // start late (a busy loop, the window): slots missed while requests waited, up to a window's
      // worth, come due at once, and the window's rule alone decides how many may go.
      const idle = !Number.isFinite(slot) || (!waited && now - slot > gap / 2);
      slot = (idle ? now : Math.max(slot, now - windowMs)) + gap;
      const start: Start = { at: now, leftAt: now };
      starts.push(start);
      if (starts.length > limit) starts.shift();
      return {
        left(at) {
          start.leftAt = Math.max(start.leftAt, at);
        },
        answered(at) {
          start.answeredAt ??= at;
        },
      };
    },
    setLimit(perWindow) {
      limit = validLimit(perWindow);
      if (starts.length > limit) starts.splice(0, starts.length - limit);
      const last = starts[starts.length - 1];
      slot = last === undefined ? Number.NEGATIVE_INFINITY : last.at + windowMs / limit;
    },
    get limit() {
      return limit;
    },
  };
}

function validLimit(perWindow: number): number {
  if (!Number.isInteger(perWindow) || perWindow < 1) throw new Error(`a request limit must be a whole number ≥ 1, got ${perWindow}`);
  return perWindow;
}
