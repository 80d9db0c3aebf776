import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VK } from 'vk-io';
import { createUserDirectory } from '../../src/vk/user-directory.js';
import { type FakeVk, startFakeVk } from '../support/fake-vk.js';

let fake: FakeVk;
let directory: ReturnType<typeof createUserDirectory>;

beforeAll(async () => {
  fake = await startFakeVk();
  fake.users.set(101, { first_name: 'Мария', last_name: 'Иванова', screen_name: 'ivanova_m' });
  fake.users.set(102, { first_name: 'Иван', last_name: 'Петров', screen_name: 'petrov' });
  const vk = new VK({ token: fake.token, apiBaseUrl: fake.apiBaseUrl, agent: undefined, apiLimit: 20, apiRetryLimit: 1 });
  directory = createUserDirectory(vk.api);
});
afterAll(() => fake.close());

describe('user directory (users.get)', () => {
  it('resolves short names in one call', async () => {
    const before = fake.requestLog.length;
    expect(await directory.resolve(['ivanova_m', 'petrov'])).toEqual(new Map([['ivanova_m', 101], ['petrov', 102]]));
    expect(fake.requestLog.slice(before).map((r) => r.method)).toEqual(['users.get']);
  });

  it('leaves out unknown names, asking one by one when VK rejects the batch', async () => {
    expect(await directory.resolve(['ivanova_m', 'ghost_user', 'petrov'])).toEqual(new Map([['ivanova_m', 101], ['petrov', 102]]));
  });
});
