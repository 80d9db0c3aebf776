/** Russian plural forms: `plural(3, ['день', 'дня', 'дней'])` → «дня». */
export function plural(n: number, forms: readonly [one: string, few: string, many: string]): string {
  const abs = Math.abs(n) % 100;
  const last = abs % 10;
  if (abs > 10 && abs < 20) return forms[2];
  if (last === 1) return forms[0];
  if (last >= 2 && last <= 4) return forms[1];
  return forms[2];
}

/** «3 дня», «21 день», «11 дней». */
export const count = (n: number, forms: readonly [string, string, string]): string => `${n} ${plural(n, forms)}`;

export const DAYS = ['день', 'дня', 'дней'] as const;
export const TASKS = ['задание', 'задания', 'заданий'] as const;
export const TEACHERS = ['учитель', 'учителя', 'учителей'] as const;
