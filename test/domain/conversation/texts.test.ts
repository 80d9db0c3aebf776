import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import { transition } from '../../../src/domain/conversation/machine.js';
import { isHelpRequest, texts } from '../../../src/domain/conversation/texts.js';
import { linksFor, text } from '../../support/conversation-driver.js';

describe('the teacher\'s texts (issue 13, item 10)', () => {
  it('agree in number: one poster is outdated, several posters are', () => {
    expect(texts.posterOutdated(['5А'])).toBe('⚠️ плакат 5А устарел — распечатайте новый');
    expect(texts.posterOutdated(['5А', '7Б'])).toBe('⚠️ плакаты 5А, 7Б устарели — распечатайте новые');
  });

  it('write А4 with a Cyrillic А, and nest quotes as „…“ inside «…»', () => {
    const all = JSON.stringify(texts) + JSON.stringify(defaultChecklist);
    expect(all).not.toMatch(/\bA4/);
    // No «…«…»…» anywhere: an inner quote opens with „.
    expect(all).not.toMatch(/«[^»]*«/);
    expect(defaultChecklist.tasks.every((task) => task.title.length <= 40)).toBe(true);
  });

  it('say a hint once: the hint and the step\'s buttons, not the prompt a second time', () => {
    const teacher = { id: 't', schoolId: 's', vkId: 1, fullName: 'Иванова Мария Петровна', classes: ['5А'], startedAt: new Date(), finishedAt: null };
    const ctx = { checklist: defaultChecklist, teacher, school: { id: 's', name: 'Школа' }, completions: [], now: new Date(), today: '2026-12-03' };
    const [reply] = transition({ kind: 'task', task: 'messengers', className: null, item: 0, draft: {} }, text('что-то'), ctx).replies;
    expect(reply?.text).toBe('Чтобы подтвердить, нажмите «Подтверждаю» или напишите «готово».');
    expect(reply?.buttons?.flat().map((b) => b.label)).toEqual(['Подтверждаю', 'Меню']);
  });
});

describe('isHelpRequest', () => {
  it.each(['?', 'не понимаю', 'Не понял', 'помогите', 'Помогите пожалуйста', 'как это сделать?', 'а что такое сферум?', 'а какой код?', 'что делать', 'не получается'])(
    '%j is a question',
    (input) => expect(isHelpRequest(input)).toBe(true),
  );
  it.each(['готово', 'Да', '25', '1 декабря', 'Иванова Мария Петровна', 'SOSH4-2026', linksFor('5А').withTeacher, '5А, 7Б', 'Помогаева Анна Ивановна'])(
    '%j is an answer',
    (input) => expect(isHelpRequest(input)).toBe(false),
  );
});
