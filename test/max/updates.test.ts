import { describe, expect, it } from 'vitest';
import { renderMaxKeyboard } from '../../src/max/keyboard.js';
import { type MaxUpdate, readMaxUpdate } from '../../src/max/updates.js';

const anna = { user_id: 501, first_name: 'Анна', is_bot: false };
const dialog = { chat_id: 700000501, chat_type: 'dialog' as const, user_id: 9000001 };

function message(body: object, extra: object = {}): MaxUpdate {
  return { update_type: 'message_created', timestamp: 1, message: { sender: anna, recipient: dialog, timestamp: 1, body: { mid: 'mid.1', ...body } }, ...extra } as MaxUpdate;
}

describe('readMaxUpdate', () => {
  it('reads a dialog text, cleaning control and zero-width characters', () => {
    expect(readMaxUpdate(message({ text: 'Иванова\u200b Анна\u0000' }))).toEqual({ kind: 'input', eventId: 'max:m:mid.1', userId: 501, input: { type: 'text', text: 'Иванова Анна' }, callbackId: null, startPayload: null });
  });

  it('reads a photo and a document', () => {
    const photo = readMaxUpdate(message({ text: '', attachments: [{ type: 'image', payload: { photo_id: 7, token: 'tok', url: 'https://i.max.ru/7.jpg' } }] }));
    expect(photo).toMatchObject({ kind: 'input', input: { type: 'photo', photo: { attachment: 'max:tok', url: 'https://i.max.ru/7.jpg' } } });
    const file = readMaxUpdate(message({ attachments: [{ type: 'file', filename: 'Список.xlsx', size: 2048, payload: { url: 'https://fu.max.ru/1', token: 't' } }] }));
    expect(file).toMatchObject({ input: { type: 'document', document: { url: 'https://fu.max.ru/1', filename: 'Список.xlsx', size: 2048 } } });
  });

  it('turns a sticker or an empty message into unsupported', () => {
    expect(readMaxUpdate(message({ text: '', attachments: [{ type: 'sticker' }] }))).toMatchObject({ input: { type: 'unsupported' } });
  });

  it('ignores group chats and bots', () => {
    expect(readMaxUpdate({ update_type: 'message_created', timestamp: 1, message: { sender: anna, recipient: { chat_id: 5, chat_type: 'chat' }, timestamp: 1, body: { mid: 'm', text: 'всем привет' } } } as MaxUpdate)).toEqual({ kind: 'ignore' });
    expect(readMaxUpdate(message({ text: 'я бот' }, { message: { sender: { user_id: 9, is_bot: true }, recipient: dialog, timestamp: 1, body: { mid: 'm', text: 'x' } } }))).toEqual({ kind: 'ignore' });
    expect(readMaxUpdate({ update_type: 'bot_added', timestamp: 1, chat_id: 5 } as MaxUpdate)).toEqual({ kind: 'ignore' });
  });

  it('reads a callback by its own user (dialog callbacks may lack chat_id) and a forged payload', () => {
    const payload = renderMaxKeyboard([[{ label: 'Меню', payload: { a: 'menu' } }]])!.payload.buttons[0]![0]!.payload;
    const click = { update_type: 'message_callback', timestamp: 2, callback: { callback_id: 'cb1', payload, user: anna }, message: { recipient: { chat_id: null, chat_type: 'dialog' }, timestamp: 1, body: { mid: 'm' } } } as MaxUpdate;
    expect(readMaxUpdate(click)).toEqual({ kind: 'input', eventId: 'max:c:cb1', userId: 501, input: { type: 'button', payload: { a: 'menu' } }, callbackId: 'cb1', startPayload: null });
    for (const forged of ['{"a":"admin_everything"}', 'not json', undefined]) {
      const update = { update_type: 'message_callback', timestamp: 2, callback: { callback_id: 'cb2', payload: forged, user: anna }, message: null } as MaxUpdate;
      expect(readMaxUpdate(update)).toMatchObject({ input: { type: 'forged_button' }, callbackId: 'cb2' });
    }
  });

  it('reads bot_started as «Начать» with its deep-link payload, and bot_stopped as unreachable', () => {
    expect(readMaxUpdate({ update_type: 'bot_started', timestamp: 3, chat_id: 1, user: anna, payload: 't_AbC123' } as MaxUpdate)).toEqual({ kind: 'input', eventId: 'max:s:501:3', userId: 501, input: { type: 'text', text: 'Начать' }, callbackId: null, startPayload: 't_AbC123' });
    expect(readMaxUpdate({ update_type: 'bot_started', timestamp: 3, chat_id: 1, user: anna } as MaxUpdate)).toMatchObject({ startPayload: null });
    expect(readMaxUpdate({ update_type: 'bot_stopped', timestamp: 4, chat_id: 1, user: anna } as MaxUpdate)).toEqual({ kind: 'stopped', eventId: 'max:x:501:4', userId: 501 });
  });
});

describe('renderMaxKeyboard', () => {
  it('drops colours and refuses what MAX would refuse', () => {
    const keyboard = renderMaxKeyboard([[{ label: 'Да', payload: { a: 'forget_yes' }, color: 'negative' }]]);
    expect(keyboard).toEqual({ type: 'inline_keyboard', payload: { buttons: [[{ type: 'callback', text: 'Да', payload: '{"a":"forget_yes"}' }]] } });
    expect(renderMaxKeyboard([])).toBeUndefined();
    const row = Array.from({ length: 8 }, () => ({ label: 'x', payload: { a: 'menu' as const } }));
    expect(() => renderMaxKeyboard([row])).toThrow(/limits/);
    expect(() => renderMaxKeyboard([[{ label: 'я'.repeat(129), payload: { a: 'menu' } }]])).toThrow(/label/);
  });
});
