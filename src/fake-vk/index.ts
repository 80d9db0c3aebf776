/**
 * The fake VK: a local emulator of the VK API (version 5.199). It is the VK of the tests (through
 * test/support/fake-vk.ts) and the "VK" of the sandbox (src/sandbox) that `npm start` runs when no
 * VK token is set.
 *
 * It speaks the same HTTP protocol as api.vk.ru, so the real vk-io client can be
 * pointed at it through its `apiBaseUrl` option:
 *
 *   - `POST /method/<name>`  API methods (form-urlencoded params, `{response}` / `{error}` replies)
 *   - `GET  /lp`             Bots Long Poll server
 *   - `POST /upload/photo`   upload server for message photos (multipart field `photo`)
 *   - `POST /upload/doc`     upload server for message documents (multipart field `file`)
 *   - `GET  /files/<key>`    downloads of stored photos and documents
 *
 * Tests and the sandbox page drive the "VK side" directly: simulate users writing to the
 * community (`sendMessage`) or pressing callback buttons (`sendMessageEvent`), inspect what the
 * community sent (`sent`, `waitForMessages`) and inject failures (`failNext`, `blockUser`,
 * `rateLimitPerSecond`). With `stateDir` the emulator keeps its state (long poll position,
 * messages, files, users) on disk, so a restart continues where it stopped.
 *
 * Only Node built-ins are used, and nothing here depends on a test runner.
 *
 * One file per concern: server.ts (HTTP routing, API requests), methods.ts (the API methods),
 * execute.ts (the VKScript of batched calls), long-poll.ts, uploads.ts (upload servers, files),
 * multipart.ts, faults.ts (injected failures), mailbox.ts (messages, users, documents),
 * persistence.ts (`stateDir`), types.ts (the public API).
 */
export { startFakeVk } from './server.js';
export type * from './types.js';
