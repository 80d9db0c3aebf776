import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstanceRegistry } from '../../src/db/repositories/instances.js';
import { type TestDatabase, createTestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.destroy());

let nextGroupId = 1;
const registry = (id: string, groupId: number, staleAfterMs = 60_000) =>
  createInstanceRegistry(database.db, { id, groupId, label: `test:${id}`, staleAfterMs });

describe('the instance registry', () => {
  it('counts the live instances of one community, itself included', async () => {
    const groupId = ++nextGroupId;
    const [a, b, c] = ['a', 'b', 'c'].map((id) => registry(`${groupId}-${id}`, groupId));
    expect(await a!.heartbeat()).toBe(1);
    expect(await b!.heartbeat()).toBe(2);
    expect(await c!.heartbeat()).toBe(3);
    expect(await a!.heartbeat()).toBe(3);
    // Another community's instances share another token.
    expect(await registry(`${groupId}-other`, groupId + 1000).heartbeat()).toBe(1);
  });

  it('forgets an instance at once when it leaves', async () => {
    const groupId = ++nextGroupId;
    const a = registry(`${groupId}-a`, groupId);
    const b = registry(`${groupId}-b`, groupId);
    await a.heartbeat();
    expect(await b.heartbeat()).toBe(2);
    await b.leave();
    expect(await a.heartbeat()).toBe(1);
  });

  it('stops counting an instance whose heartbeat stopped', async () => {
    const groupId = ++nextGroupId;
    const a = registry(`${groupId}-a`, groupId, 300);
    const silent = registry(`${groupId}-silent`, groupId, 300);
    await silent.heartbeat();
    expect(await a.heartbeat()).toBe(2);
    await expect.poll(() => a.heartbeat(), { timeout: 5000, interval: 100 }).toBe(1);
  });
});
