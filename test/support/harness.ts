import { type App, type AppOptions, startApp } from '../../src/compose/bot.js';
import { type Config, parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import type { FakeAttachment, FakeVk, SentMessage } from './fake-vk.js';

export const JOIN_CODE = 'SOSH4-2026';

export function testConfig(fake: FakeVk, overrides: Record<string, string> = {}): Config {
  return parseConfig({
    VK_TOKEN: fake.token,
    VK_GROUP_ID: String(fake.groupId),
    VK_API_BASE_URL: fake.apiBaseUrl,
    SCHOOL_NAME: 'МКОУ «СОШ №4»',
    SCHOOL_JOIN_CODE: JOIN_CODE,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Any free port: test files run in parallel, each with its own app.
    PORT: '0',
    ...overrides,
  });
}

/** The real app (vk-io, long poll or webhook, Postgres) wired to the fake VK with test-friendly timings. */
export function startTestApp(
  fake: FakeVk,
  database: DatabaseHandle,
  overrides: Record<string, string> = {},
  options: Partial<Pick<AppOptions, 'apiShareIntervalMs' | 'retry' | 'handleRetry' | 'clock'>> = {},
): Promise<App> {
  const config = testConfig(fake, overrides);
  return startApp({
    config,
    logger: createLogger(config.LOG_LEVEL, { pretty: false }),
    database,
    clock: options.clock,
    pollWaitSeconds: 1,
    retry: { attempts: 4, baseDelayMs: 20 },
    handleRetry: { attempts: 3, baseDelayMs: 20 },
    // No cron ticks in tests: a tick on the hour would remind test teachers mid-test. Tests run jobs through app.jobs.
    scheduler: false,
    // The fake VK serves documents over http on 127.0.0.1: named here, never allowed by default.
    documentOrigins: [new URL(fake.url).origin],
    ...options,
  });
}

/** A VK user talking to the bot through the fake: types, clicks buttons, sends photos. */
export class VkUser {
  private seen = 0;

  constructor(
    private readonly fake: FakeVk,
    readonly id: number,
  ) {}

  /** Sends a message and waits for `replies` new messages from the bot. */
  async say(text: string, options: { replies?: number; payload?: unknown; attachments?: FakeAttachment[] } = {}): Promise<SentMessage[]> {
    this.fake.sendMessage(this.id, text, { payload: options.payload, attachments: options.attachments });
    return this.expectReplies(options.replies ?? 1);
  }

  /** Clicks a button of the bot's latest message by its label, sending that button's own payload. */
  click(label: string, options: { replies?: number } = {}): Promise<SentMessage[]> {
    const button = this.buttons().find((b) => b.label === label);
    if (!button) throw new Error(`no button «${label}» in the latest message with buttons; buttons: ${this.buttons().map((b) => b.label).join(', ')}`);
    return this.say(label, { payload: button.payload, replies: options.replies });
  }

  sendPhoto(options: { replies?: number } = {}): Promise<SentMessage[]> {
    return this.say('', { attachments: [this.fake.uploadUserPhoto(this.id)], replies: options.replies });
  }

  /** `timeoutMs`: a file comes as a message of its own after the text, and may take longer (default 5 s). */
  async expectReplies(count: number, timeoutMs?: number): Promise<SentMessage[]> {
    const all = await this.fake.waitForMessages(this.id, this.seen + count, timeoutMs);
    const fresh = all.slice(this.seen);
    this.seen = all.length;
    return fresh;
  }

  last(): SentMessage | undefined {
    return this.fake.messagesTo(this.id).at(-1);
  }

  /**
   * Labels and raw payloads of the buttons under the bot's latest message that has any (an inline
   * keyboard stays under its message: a poster that arrives after the question does not hide it).
   */
  buttons(): { label: string; payload: string }[] {
    const withKeyboard = this.fake.messagesTo(this.id).findLast((message) => (message.keyboard?.buttons?.length ?? 0) > 0);
    const rows: { action: { label: string; payload: string } }[][] = withKeyboard?.keyboard?.buttons ?? [];
    return rows.flat().map((b) => ({ label: b.action.label, payload: b.action.payload }));
  }

  /** Waits a little and reports any messages that arrived although none were expected. */
  async expectSilence(ms = 400): Promise<SentMessage[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const unexpected = this.fake.messagesTo(this.id).slice(this.seen);
    this.seen += unexpected.length;
    return unexpected;
  }
}

export const texts = (messages: SentMessage[]): string => messages.map((m) => m.message).join('\n---\n');
