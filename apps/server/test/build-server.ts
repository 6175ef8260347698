/**
 * Tests that run the compiled server as its own process (as `npm start` does) call this
 * first: `dist/` is built once per test run, and only when a source is newer.
 */
import { join } from 'node:path';
import { buildOnce, ROOT } from '../../../test-support/build-once';

export { ROOT };
export const SERVER_MAIN = join(ROOT, 'dist/apps/server/apps/server/src/main.js');

export function buildServer(): Promise<void> {
  return buildOnce({
    name: 'server-build',
    output: SERVER_MAIN,
    sources: ['apps/server/src', 'libs', 'prisma-free-migrations', 'tsconfig.json', 'package.json'],
    command: [join(ROOT, 'node_modules/.bin/nest'), 'build', 'server'],
    waitMs: 180_000,
    staleLockMs: 120_000,
  });
}
