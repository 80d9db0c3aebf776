/** Outcome of parsing untrusted input: a value, or an error code the conversation turns into a Russian hint. */
export type Parsed<T, E extends string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E extends string>(error: E): { ok: false; error: E } => ({ ok: false, error });
