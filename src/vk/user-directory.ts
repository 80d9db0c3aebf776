import { APIError, type API } from 'vk-io';
import type { UserDirectory } from '../domain/admin/ports.js';

/** Error 113: "Invalid user id": users.get names one that does not exist. */
const INVALID_USER = 113;

/**
 * Resolves short names through users.get: all at once, and one by one when the batch fails
 * because one name is unknown (VK then rejects the whole call).
 */
export function createUserDirectory(api: API): UserDirectory {
  async function lookup(names: readonly string[]): Promise<Map<string, number>> {
    const users = await api.users.get({ user_ids: [...names], fields: ['screen_name'] });
    const found = new Map<string, number>();
    for (const user of users) {
      const screen = (user as { screen_name?: string }).screen_name?.toLowerCase();
      if (screen && names.includes(screen)) found.set(screen, user.id);
    }
    // users.get answers in the order asked; a name VK knows under another screen name (an old one) maps by position.
    if (users.length === names.length) {
      names.forEach((name, i) => {
        if (!found.has(name)) found.set(name, users[i]!.id);
      });
    }
    return found;
  }
  return {
    async resolve(names) {
      const result = new Map<string, number>();
      for (let i = 0; i < names.length; i += 100) {
        const batch = names.slice(i, i + 100);
        try {
          for (const [name, id] of await lookup(batch)) result.set(name, id);
        } catch (error) {
          if (!(error instanceof APIError) || Number(error.code) !== INVALID_USER) throw error;
          for (const name of batch) {
            try {
              for (const [n, id] of await lookup([name])) result.set(n, id);
            } catch (inner) {
              if (!(inner instanceof APIError) || Number(inner.code) !== INVALID_USER) throw inner;
            }
          }
        }
      }
      return result;
    },
  };
}
