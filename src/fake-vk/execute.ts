/** The `execute` method: parses the VKScript vk-io generates for batched calls and runs the calls. */
import { ApiError, type Params } from './api.js';

const MAX_EXECUTE_CALLS = 25;

interface ExecuteCall {
  method: string;
  params: Params;
}

/**
 * Runs the VKScript vk-io generates for batched calls. Failed calls become `false` in `response`,
 * with their errors in `execute_errors`, in order.
 */
export function runExecute(code: string, invoke: (method: string, params: Params) => unknown): object {
  const calls = parseExecuteCode(code);
  if (calls.length > MAX_EXECUTE_CALLS) {
    throw new ApiError(13, `too many API calls (${calls.length} > ${MAX_EXECUTE_CALLS})`);
  }

  const response: unknown[] = [];
  const executeErrors: { method: string; error_code: number; error_msg: string }[] = [];
  for (const call of calls) {
    try {
      response.push(invoke(call.method, call.params));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response.push(false);
      executeErrors.push({ method: call.method, error_code: error.code, error_msg: error.message });
    }
  }
  return executeErrors.length > 0 ? { response, execute_errors: executeErrors } : { response };
}

/**
 * Parses the only VKScript shape vk-io generates when batching calls:
 *
 *   return [API.messages.send({"peer_id":1,"random_id":5,"message":"hi"}),API.users.get({})];
 *
 * Anything else is answered with error 12, as VK does for code it cannot compile.
 */
function parseExecuteCode(code: string): ExecuteCall[] {
  return new ExecuteCodeScanner(code).parse();
}

/** Methods an execute carries, or none when the code does not parse (the error surfaces later). */
export function tryParseExecuteMethods(code: string | undefined): string[] {
  try {
    return parseExecuteCode(code ?? '').map((call) => call.method);
  } catch {
    return [];
  }
}

class ExecuteCodeScanner {
  private position = 0;

  constructor(private readonly code: string) {}

  parse(): ExecuteCall[] {
    this.expect('return');
    this.expect('[');
    const calls: ExecuteCall[] = [];
    if (!this.tryConsume(']')) {
      do {
        calls.push(this.readCall());
      } while (this.tryConsume(','));
      this.expect(']');
    }
    this.tryConsume(';');
    this.skipWhitespace();
    if (this.position !== this.code.length) throw this.compileError('unexpected code after the return statement');
    return calls;
  }

  private readCall(): ExecuteCall {
    this.expect('API.');
    const match = /^[A-Za-z]+\.[A-Za-z0-9_]+/.exec(this.code.slice(this.position));
    if (!match) throw this.compileError('expected a method name after "API."');
    this.position += match[0].length;

    this.expect('(');
    let params: Params = {};
    this.skipWhitespace();
    if (this.code[this.position] !== ')') {
      params = toParams(this.parseJson(this.readJsonObject()));
    }
    this.expect(')');
    return { method: match[0], params };
  }

  /** Reads a balanced `{...}` starting at the current position, honouring strings and escapes. */
  private readJsonObject(): string {
    const start = this.position;
    if (this.code[start] !== '{') throw this.compileError('expected a parameters object');
    let depth = 0;
    while (this.position < this.code.length) {
      const char = this.code[this.position++];
      if (char === '"') {
        this.skipStringBody();
      } else if (char === '{' || char === '[') {
        depth += 1;
      } else if (char === '}' || char === ']') {
        depth -= 1;
        if (depth === 0) return this.code.slice(start, this.position);
      }
    }
    throw this.compileError('unterminated parameters object');
  }

  private parseJson(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw this.compileError('parameters are not valid JSON');
    }
  }

  /** Skips to just after the closing quote of a string whose opening quote was consumed. */
  private skipStringBody(): void {
    while (this.position < this.code.length) {
      const char = this.code[this.position++];
      if (char === '\\') this.position += 1;
      else if (char === '"') return;
    }
    throw this.compileError('unterminated string');
  }

  private expect(token: string): void {
    if (!this.tryConsume(token)) throw this.compileError(`expected "${token}"`);
  }

  private tryConsume(token: string): boolean {
    this.skipWhitespace();
    if (!this.code.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private skipWhitespace(): void {
    while (/\s/.test(this.code[this.position] ?? '')) this.position += 1;
  }

  private compileError(reason: string): ApiError {
    return new ApiError(12, `${reason} at position ${this.position}`);
  }
}

/** Converts decoded execute params to the all-strings form a regular HTTP call would have. */
function toParams(value: unknown): Params {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(12, 'method parameters must be an object');
  }
  const params: Params = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    if (Array.isArray(item)) params[key] = item.map(String).join(',');
    else if (typeof item === 'object') params[key] = JSON.stringify(item);
    else params[key] = String(item);
  }
  return params;
}
