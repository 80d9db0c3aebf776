import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Without DATABASE_URL: one embedded PostgreSQL server for the whole run, a database per file.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: a few files at a time keeps the database and the fake VK servers from starving each other.
    maxWorkers: 2,
  },
});
