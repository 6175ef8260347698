/**
 * Tests that run the compiled server as its own process (as `npm start` does) call this
 * first. It builds `dist/` once per test run, and only when a source file is newer than the
 * last build; a lock directory keeps parallel test files from building at the same time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const SERVER_MAIN = join(ROOT, 'dist/apps/server/apps/server/src/main.js');
// Outside dist/: `nest build` empties dist/ first.
const LOCK = join(
  tmpdir(),
  `tollgate-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`,
);
const SOURCES = [
  'apps/server/src',
  'libs',
  'prisma-free-migrations',
  'tsconfig.json',
  'package.json',
];

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestSource(join(path, entry)));
  }
  return newest;
}

function upToDate(): boolean {
  try {
    const built = statSync(SERVER_MAIN).mtimeMs;
    return SOURCES.every((s) => newestSource(join(ROOT, s)) < built);
  } catch {
    return false;
  }
}

export async function buildServer(): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (upToDate()) return;
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a test run that was killed mid-build is stale after two minutes.
      const lockedAt = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > 120_000) rmdirSync(LOCK);
      if (Date.now() > deadline)
        throw new Error('timed out waiting for another test to build the server');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!upToDate()) {
      execFileSync(join(ROOT, 'node_modules/.bin/nest'), ['build', 'server'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    }
  } finally {
    rmdirSync(LOCK);
  }
}
