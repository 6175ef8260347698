/**
 * bin/tollgate.js, the command npm links: it must run the compiled CLI only when that build
 * is newer than every source, the TypeScript sources otherwise, and work when started
 * through a symlink in node_modules/.bin from any directory (what npx does).
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '../../..');

describe('bin/tollgate.js', () => {
  let root: string;
  let elsewhere: string;
  const compiled = () => join(root, 'dist/apps/cli/apps/cli/src/main.js');
  const source = () => join(root, 'apps/cli/src/main.ts');

  /** A minimal checkout: the real shim, stand-in entries that say which one ran. */
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'tollgate-shim-'));
    elsewhere = mkdtempSync(join(tmpdir(), 'tollgate-shim-cwd-'));
    mkdirSync(join(root, 'bin'));
    copyFileSync(join(REPO, 'bin/tollgate.js'), join(root, 'bin/tollgate.js'));
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'package.json'), '{}');
    writeFileSync(join(root, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }');
    mkdirSync(join(root, 'libs'));
    mkdirSync(dirname(source()), { recursive: true });
    writeFileSync(
      source(),
      "export function runMain(): void {\n  const from: string = 'source';\n  process.stdout.write(`${from} ${process.argv.slice(2).join(' ')}\\n`);\n}\n",
    );
    // an npx-style link: node_modules/.bin/tollgate -> the shim
    mkdirSync(join(elsewhere, 'node_modules/.bin'), { recursive: true });
    symlinkSync(join(root, 'bin/tollgate.js'), join(elsewhere, 'node_modules/.bin/tollgate'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  function run(env: Record<string, string> = {}): string {
    const result = spawnSync(
      process.execPath,
      [join(elsewhere, 'node_modules/.bin/tollgate'), 'a', 'b'],
      { cwd: elsewhere, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return result.stdout;
  }

  function writeCompiled(): void {
    mkdirSync(dirname(compiled()), { recursive: true });
    writeFileSync(
      compiled(),
      "exports.runMain = () => process.stdout.write('compiled ' + process.argv.slice(2).join(' ') + '\\n');\n",
    );
  }

  function age(path: string, secondsAgo: number): void {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path, t, t);
  }

  it('runs the sources through tsx when nothing is built, through a symlink, from elsewhere', () => {
    expect(run()).toBe('source a b\n');
  });

  it('runs the build when it is newer than every source', () => {
    writeCompiled();
    for (const p of [source(), dirname(source()), join(root, 'apps/cli'), join(root, 'libs')]) {
      age(p, 60);
    }
    age(join(root, 'package.json'), 60);
    expect(run()).toBe('compiled a b\n');
    expect(run({ TOLLGATE_CLI_FROM_SOURCE: '1' })).toBe('source a b\n');
  });

  it('never runs a build older than an edited source, library included', () => {
    writeCompiled();
    age(compiled(), 30);
    writeFileSync(join(root, 'libs/edited.ts'), 'export {};\n');
    expect(run()).toBe('source a b\n');
    rmSync(join(root, 'libs/edited.ts'));
    age(join(root, 'libs'), 60);
    age(source(), 10); // a source touched after the build
    expect(run()).toBe('source a b\n');
  });
});
