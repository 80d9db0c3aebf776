/**
 * Errors as a log may hold them: no query parameter, message text or name. Only the type, a
 * masked message, the stack frames and fields known to carry no data are kept, recursively for
 * `cause`. Everything else an error carries is dropped: postgres.js attaches the query's
 * `parameters` (full names, reasons) and the server's `detail` ("Failing row contains (…)"),
 * drizzle puts the parameters into its message, vk-io keeps the request's `params` (the text
 * sent, the peer id).
 */
const SAFE_FIELDS = [
  'code',
  'errno',
  'syscall',
  'severity',
  'routine',
  'schema_name',
  'table_name',
  'column_name',
  'constraint_name',
  'data_type_name',
  'status',
  'statusCode',
] as const;

const MAX_DEPTH = 4;

/** Quoted parts of a message are where values go (`invalid input syntax for type integer: "…"`, JSON.parse's snippet). */
const maskQuoted = (message: string): string => message.replace(/"[^"]*"|«[^»]*»|\([^()]*\)=\([^()]*\)/g, '"…"');

function messageOf(error: Error): string {
  // drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>". The SQL has placeholders only.
  if ('query' in error && 'params' in error && typeof error.query === 'string') return `Failed query: ${error.query}`;
  return maskQuoted(String(error.message));
}

export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) {
    if (typeof value === 'string') return maskQuoted(value);
    if (typeof value === 'number' || typeof value === 'boolean' || value == null) return value;
    return { type: typeof value };
  }
  const type = value.constructor?.name || value.name || 'Error';
  const message = messageOf(value);
  const frames = (value.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const out: Record<string, unknown> = { type, message, stack: [`${type}: ${message}`, ...frames].join('\n') };
  const fields = value as unknown as Record<string, unknown>;
  for (const field of SAFE_FIELDS) {
    const v = fields[field];
    if (typeof v === 'string' || typeof v === 'number') out[field] = v;
  }
  if (depth < MAX_DEPTH) {
    if (value.cause !== undefined) out.cause = serializeError(value.cause, depth + 1);
    if (value instanceof AggregateError) out.errors = value.errors.slice(0, 5).map((e) => serializeError(e, depth + 1));
  }
  return out;
}
