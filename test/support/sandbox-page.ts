import type { ChatMessage } from '../../src/sandbox/web.js';

/** The sandbox page's JSON API, used the way the page's script uses it. */
export async function pageState(url: string, persona?: number, after = 0): Promise<any> {
  const query = new URLSearchParams({ persona: persona === undefined ? '' : String(persona), after: String(after) });
  const response = await fetch(`${url}/api/state?${query}`);
  if (!response.ok) throw new Error(`state answered ${response.status}`);
  return response.json();
}

export async function postJson(url: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A persona chatting on the sandbox page: types, clicks the bot's buttons, sends photos. */
export class PageUser {
  private seen = 0;

  constructor(
    private readonly url: string,
    readonly id: number,
  ) {}

  /** Sends a message and waits for `replies` new messages from the bot. */
  async say(text: string, options: { replies?: number; payload?: string } = {}): Promise<ChatMessage[]> {
    const response = await postJson(this.url, '/api/messages', { persona: this.id, text, ...(options.payload === undefined ? {} : { payload: options.payload }) });
    if (!response.ok) throw new Error(`messages answered ${response.status}: ${await response.text()}`);
    return this.expectReplies(options.replies ?? 1);
  }

  /** Clicks a text button of the bot's latest message, as the page does: its label and its payload. */
  async click(label: string, options: { replies?: number } = {}): Promise<ChatMessage[]> {
    const buttons = await this.buttons();
    const button = buttons.find((b) => b.label === label);
    if (!button) throw new Error(`no button «${label}»; buttons: ${buttons.map((b) => b.label).join(', ')}`);
    return this.say(label, { payload: button.payload, replies: options.replies });
  }

  async sendPhoto(bytes: Buffer, type: string, options: { replies?: number; caption?: string } = {}): Promise<ChatMessage[]> {
    const query = new URLSearchParams({ persona: String(this.id), text: options.caption ?? '' });
    const response = await fetch(`${this.url}/api/photos?${query}`, { method: 'POST', headers: { 'content-type': type }, body: bytes });
    if (!response.ok) throw new Error(`photos answered ${response.status}: ${await response.text()}`);
    return this.expectReplies(options.replies ?? 1);
  }

  async messages(): Promise<ChatMessage[]> {
    return (await pageState(this.url, this.id)).messages as ChatMessage[];
  }

  async buttons(): Promise<{ label: string; payload: string }[]> {
    const last = (await this.messages()).findLast((m) => m.from === 'bot');
    const rows = ((last?.keyboard as { buttons?: { action: { label: string; payload: string } }[][] } | undefined)?.buttons ?? []);
    return rows.flat().map((b) => ({ label: b.action.label, payload: b.action.payload }));
  }

  async expectReplies(count: number, timeoutMs = 15_000): Promise<ChatMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const bots = (await this.messages()).filter((m) => m.from === 'bot');
      if (bots.length >= this.seen + count) {
        const fresh = bots.slice(this.seen);
        this.seen = bots.length;
        return fresh;
      }
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} new bot message(s) for ${this.id} within ${timeoutMs} ms; have: ${bots.slice(this.seen).map((m) => JSON.stringify(m.text)).join(', ') || 'none'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export const textsOf = (messages: ChatMessage[]): string => messages.map((m) => m.text).join('\n---\n');
