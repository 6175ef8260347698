/**
 * Browser tests run the production build of the web app: built once per test run, and only
 * when a source is newer than the last build.
 */
import { join } from 'node:path';
import { buildOnce, ROOT } from '../../../test-support/build-once';

export { ROOT };
export const WEB_DIR = join(ROOT, 'apps/web');
const SKIP = new Set(['node_modules', '.next', 'e2e', 'next-env.d.ts']);

export function buildWeb(): Promise<void> {
  return buildOnce({
    name: 'web-build',
    output: join(WEB_DIR, '.next/BUILD_ID'),
    sources: ['apps/web', 'libs/btp/src', 'libs/ilp-core/src', 'libs/stream/src', 'libs/spsp/src'],
    skip: (entry) => SKIP.has(entry) || entry.endsWith('.spec.ts'),
    command: [process.execPath, join(ROOT, 'node_modules/next/dist/bin/next'), 'build', WEB_DIR],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
}
