import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// Regenerates docs/screenshots/ from seeded data; a tool, not a test, so `pnpm test` leaves it out.
export default mergeConfig(base, defineConfig({ test: { include: ['tests/*.shot.ts'] } }));
