import { describe, expect, it } from 'vitest';
import { defaultChecklist } from '../../../src/domain/checklist/default-checklist.js';
import type { DueReminder } from '../../../src/domain/reminders/due.js';
import { renderReminder } from '../../../src/domain/reminders/message.js';
import { parsePayload } from '../../../src/domain/payload.js';
import { nextOpenItem } from '../../../src/domain/progress.js';
import { progressOf } from '../../../src/domain/standing.js';
import { allDone, doneAnswer, standing } from '../../support/standings.js';

function due(reason: DueReminder['reason'] = 'periodic', completions = [doneAnswer('messengers')]): DueReminder {
  const teacher = standing({ completions });
  const progress = progressOf(defaultChecklist, teacher);
  return { teacher, reason, progress, next: nextOpenItem(progress)! };
}

describe('a reminder', () => {
  it('greets by name and patronymic, names the next open task and says how many remain', () => {
    const reply = renderReminder(due(), null, '2026-12-08');
    expect(reply.text).toContain('Здравствуйте, Мария Петровна!');
    expect(reply.text).toContain('Осталось 5 заданий из 6.');
    expect(reply.text).toContain('Следующее: «Родительские чаты в Сферуме», класс 5А.');
    expect(reply.text).not.toContain('Срок');
  });

  it('mentions the deadline and the days left', () => {
    expect(renderReminder(due('deadline_soon'), '2026-12-15', '2026-12-08').text).toContain('Срок — 15.12.2026, осталось 7 дней.');
    expect(renderReminder(due('deadline_soon'), '2026-12-10', '2026-12-08').text).toContain('осталось 2 дня.');
    expect(renderReminder(due('deadline_soon'), '2026-12-08', '2026-12-08').text).toContain('Срок — сегодня, 08.12.2026.');
  });

  it('is firmer once overdue, and stays polite', () => {
    const text = renderReminder(due('overdue', []), '2026-12-01', '2026-12-08').text;
    expect(text).toContain('Срок выполнения приказа — 01.12.2026 — прошёл 7 дней назад, а у вас осталось 6 заданий из 6.');
    expect(text).toContain('Пожалуйста, завершите их, как только сможете.');
    // Not «это займёт несколько минут»: a parents' meeting takes more than minutes (issue 13, item 10).
    expect(text).not.toContain('минут');
  });

  it('answers the teacher\'s own request', () => {
    expect(renderReminder(due('requested'), null, '2026-12-08').text).toContain('Как вы просили, напоминаю');
  });

  it('agrees numbers with their nouns', () => {
    const oneLeft = allDone().filter((c) => c.task !== 'eo_link');
    expect(renderReminder(due('periodic', oneLeft), '2026-12-09', '2026-12-08').text).toContain('Осталось 1 задание из 6. Срок — 09.12.2026, осталось 1 день.');
  });

  it('has "continue", "tomorrow", "next week" and "on leave" buttons with valid payloads, within VK\'s keyboard limits', () => {
    const reply = renderReminder(due(), null, '2026-12-08');
    const buttons = reply.buttons!.flat();
    expect(buttons.map((b) => b.label)).toEqual(['Продолжить', 'Напомнить завтра', 'Через неделю', 'Я в отпуске до…']);
    expect(buttons.map((b) => b.payload)).toEqual([{ a: 'next' }, { a: 'snooze', d: 1 }, { a: 'snooze', d: 7 }, { a: 'leave' }]);
    for (const button of buttons) {
      expect(parsePayload(JSON.parse(JSON.stringify(button.payload))).kind).toBe('payload');
      expect(button.label.length).toBeLessThanOrEqual(40);
    }
    expect(buttons.length).toBeLessThanOrEqual(10);
    expect(reply.buttons!.length).toBeLessThanOrEqual(6);
  });
});
