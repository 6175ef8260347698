/**
 * Builds something tests need (the compiled server, the web app's production build) once per
 * test run, and only when a source is newer than the last build. A lock directory outside
 * the build output keeps parallel test files from building at the same time; a lock left by
 * a run killed mid-build goes stale.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');

export interface BuildSpec {
  /** Names the lock (one per kind of build and checkout). */
  name: string;
  /** A file the build writes last: its time is the build's. */
  output: string;
  /** Files and folders, relative to ROOT, whose changes call for a new build. */
  sources: string[];
  /** Entries never looked into (build output, dependencies, tests). */
  skip?: (entry: string) => boolean;
  /** The build command: [executable, ...args], run in ROOT. */
  command: [string, ...string[]];
  env?: NodeJS.ProcessEnv;
  /** How long to wait for another test's build, and when its lock counts as stale. */
  waitMs?: number;
  staleLockMs?: number;
}

function newestSource(path: string, skip: (entry: string) => boolean): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (skip(entry)) continue;
    newest = Math.max(newest, newestSource(join(path, entry), skip));
  }
  return newest;
}

export async function buildOnce(spec: BuildSpec): Promise<void> {
  const skip = spec.skip ?? ((entry: string) => entry === 'node_modules' || entry === 'dist');
  const lock = join(
    tmpdir(),
    `tollgate-${spec.name}-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`,
  );
  const upToDate = (): boolean => {
    try {
      const built = statSync(spec.output).mtimeMs;
      return spec.sources.every((s) => newestSource(join(ROOT, s), skip) < built);
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + (spec.waitMs ?? 300_000);
  for (;;) {
    if (upToDate()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      const lockedAt = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > (spec.staleLockMs ?? 180_000)) rmdirSync(lock);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the ${spec.name} build`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!upToDate()) {
      execFileSync(spec.command[0], spec.command.slice(1), {
        cwd: ROOT,
        stdio: 'pipe',
        env: spec.env ?? process.env,
      });
    }
  } finally {
    rmdirSync(lock);
  }
}
