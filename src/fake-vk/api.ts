/** The VK API's wire format as the fake speaks it: params, errors and the error object VK answers with. */

export const API_VERSION = '5.199';

/** API params as VK receives them: every value is a string. */
export type Params = Record<string, string>;

export const ERROR_MESSAGES: Record<number, string> = {
  1: 'Unknown error occurred',
  3: 'Unknown method passed',
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  10: 'Internal server error',
  12: 'Unable to compile code',
  13: 'Runtime error occurred during code invocation',
  15: 'Access denied',
  100: 'One of the parameters specified was missing or invalid',
  113: 'Invalid user id',
  121: 'Invalid hash',
  901: "Can't send messages for users without permission",
  911: 'Keyboard format is invalid',
  914: 'Message is too long',
};

/** A VK API error; `detail` is appended to the standard message like VK does (`...: peer_id is undefined`). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    detail?: string,
  ) {
    const base = ERROR_MESSAGES[code] ?? 'Unknown error occurred';
    super(detail ? `${base}: ${detail}` : base);
  }

  /** An error with a message that replaces the standard one entirely. */
  static withMessage(code: number, message: string): ApiError {
    const error = new ApiError(code);
    error.message = message;
    return error;
  }
}

export function toErrorObject(error: ApiError, method: string, params: Params): object {
  const requestParams = [
    { key: 'method', value: method },
    { key: 'oauth', value: '1' },
    ...Object.entries(params)
      .filter(([key]) => key !== 'access_token')
      .map(([key, value]) => ({ key, value })),
  ];
  return { error_code: error.code, error_msg: error.message, request_params: requestParams };
}

export function parseInteger(value: string | undefined, name: string): number {
  if (value === undefined || value === '') throw new ApiError(100, `${name} is undefined`);
  const number = Number(value);
  if (!Number.isInteger(number)) throw new ApiError(100, `${name} is invalid`);
  return number;
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function unixTime(): number {
  return Math.floor(Date.now() / 1000);
}

/** Record lookup that ignores inherited keys such as `constructor` (extensions come from user input). */
export function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
