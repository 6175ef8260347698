/**
 * Browser tests run the production build of the web app. This builds it once per test run,
 * and only when a source is newer than the last build; a lock directory keeps parallel test
 * files from building at the same time (as apps/server/test/build-server.ts does for dist/).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const WEB_DIR = join(ROOT, 'apps/web');
const BUILD_ID = join(WEB_DIR, '.next/BUILD_ID');
const LOCK = join(
  tmpdir(),
  `tollgate-web-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`,
);
const SOURCES = [
  'apps/web',
  'libs/btp/src',
  'libs/ilp-core/src',
  'libs/stream/src',
  'libs/spsp/src',
];
const SKIP = new Set(['node_modules', '.next', 'e2e', 'next-env.d.ts']);

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (SKIP.has(entry) || entry.endsWith('.spec.ts')) continue;
    newest = Math.max(newest, newestSource(join(path, entry)));
  }
  return newest;
}

function upToDate(): boolean {
  try {
    const built = statSync(BUILD_ID).mtimeMs;
    return SOURCES.every((s) => newestSource(join(ROOT, s)) < built);
  } catch {
    return false;
  }
}

export async function buildWeb(): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (upToDate()) return;
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a test run killed mid-build is stale after three minutes.
      const lockedAt = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > 180_000) rmdirSync(LOCK);
      if (Date.now() > deadline) throw new Error('timed out waiting for the web build');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!upToDate()) {
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules/next/dist/bin/next'), 'build', WEB_DIR],
        { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
      );
    }
  } finally {
    rmdirSync(LOCK);
  }
}
