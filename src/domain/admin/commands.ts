import { commandOf, normalizeCommand } from '../commands.js';
import type { Input } from '../model.js';
import { type AdminAction, type AdminPayload, adminActions, isAdminPayload } from './payload.js';

/**
 * Text fallbacks of the admin buttons, matched as `normalizeCommand` says. Each works only for an
 * administrator; anyone else gets a polite refusal.
 */
export const adminTextCommands = {
  админ: 'ad_menu',
  админка: 'ad_menu',
  администратор: 'ad_menu',
  сводка: 'ad_summary',
  отстающие: 'ad_laggards',
  'напомнить отстающим': 'ad_remind',
  импорт: 'ad_import',
  экспорт: 'ad_export_xlsx',
  'экспорт xlsx': 'ad_export_xlsx',
  выгрузка: 'ad_export_xlsx',
  'экспорт csv': 'ad_export_csv',
  'задачи школы': 'ad_school_tasks',
  'школьные задачи': 'ad_school_tasks',
  настройки: 'ad_settings',
  'плакат начать': 'ad_poster',
  учителя: 'ad_teachers',
  школы: 'ad_schools',
  учитель: 'ad_teacher_mode',
  страница: 'ad_page',
  'веб-страница': 'ad_page',
} as const satisfies Record<string, AdminAction>;

/** Words that mean something to everyone; for an administrator they drive the admin menu. */
const sharedTextCommands: Record<string, AdminAction> = {
  меню: 'ad_menu',
  отмена: 'ad_cancel',
  начать: 'ad_menu',
};

export type AdminTextCommand = keyof typeof adminTextCommands;

/** The admin-only command a text is, if any. */
export function adminCommandOfText(text: string): AdminTextCommand | undefined {
  const word = normalizeCommand(text);
  return Object.hasOwn(adminTextCommands, word) ? (word as AdminTextCommand) : undefined;
}

/** The admin action an administrator's text means, including the shared words. */
export function adminActionOfText(text: string): AdminAction | undefined {
  const own = adminCommandOfText(text);
  return own ? adminTextCommands[own] : commandOf(sharedTextCommands, text);
}

/** True for input only an administrator may use: an admin button or an admin text command. */
export function isAdminOnlyInput(input: Input): boolean {
  if (input.type === 'button') return isAdminPayload(input.payload);
  if (input.type === 'text') return adminCommandOfText(input.text) !== undefined;
  return false;
}

export const asAdminPayload = (input: Input): AdminPayload | undefined =>
  input.type === 'button' && isAdminPayload(input.payload) ? input.payload : undefined;

/**
 * Every way into the admin menu: each button action and each text command. The authorization
 * matrix test runs all of them for four kinds of sender, so a new command cannot be forgotten.
 */
export const adminEntryPoints: readonly ({ kind: 'payload'; action: AdminAction } | { kind: 'text'; text: AdminTextCommand })[] = [
  ...adminActions.map((action) => ({ kind: 'payload' as const, action })),
  ...(Object.keys(adminTextCommands) as AdminTextCommand[]).map((text) => ({ kind: 'text' as const, text })),
];
