import { defineConfig } from 'vitest/config';

// Browser tests drive the built client through the real server; no Svelte plugin needed here.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The server's setup migrates the template database freshDatabase() clones on PostgreSQL.
    globalSetup: ['../server/test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // Live updates cross a real server and two browsers; one second is too tight.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
