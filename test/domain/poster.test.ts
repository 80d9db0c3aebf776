import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../src/domain/checklist/default-checklist.js';
import { posterFilename, posterRequest } from '../../src/domain/poster.js';

describe('poster requests', () => {
  it('name the file in Latin after the classes', () => {
    expect(posterFilename(['5А'])).toBe('plakat-5A.pdf');
    expect(posterFilename(['11Щ', '7Ё', '1Я'])).toBe('plakat-11SCH-7E-1YA.pdf');
    expect(posterFilename([])).toBe('plakat-klass.pdf');
  });

  it('list the chats in the order the links task asks them, skipping a chat without a link', () => {
    const chats = defaultChecklist.tasks.find((t) => t.code === 'chats')!;
    const request = posterRequest({
      schoolName: 'Школа',
      linksTask: chats,
      pages: [{ className: '5А', links: { parents_only: 'https://vk.me/join/Only12345678', with_teacher: 'https://vk.me/join/With12345678' } }],
      previews: true,
    });
    expect(request.pages[0]?.chats).toEqual([
      { title: 'Родители с учителем', link: 'https://vk.me/join/With12345678' },
      { title: 'Родители без учителя', link: 'https://vk.me/join/Only12345678' },
    ]);
    const partial = posterRequest({ schoolName: 'Школа', linksTask: chats, pages: [{ className: '5А', links: { parents_only: 'https://vk.me/join/Only12345678' } }], previews: false });
    expect(partial.pages[0]?.chats.map((c) => c.title)).toEqual(['Родители без учителя']);
  });

  it('refuse a task that has no links step', () => {
    const messengers = defaultChecklist.tasks.find((t) => t.code === 'messengers')!;
    expect(() => posterRequest({ schoolName: 'Школа', linksTask: messengers, pages: [], previews: false })).toThrow(/no links step/);
  });
});
