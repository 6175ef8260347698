#!/usr/bin/env node
/*
 * The `tollgate` command (package.json "bin"). Runs the compiled CLI when `npm run build` has
 * made one that is newer than every source it comes from; otherwise runs the TypeScript
 * sources through tsx (a dev dependency, there after `npm ci`), so a fresh clone works
 * without a build and an edited source is never shadowed by an old build.
 *
 * Plain CommonJS on purpose: it must start under `node` alone. npm links it as
 * node_modules/.bin/tollgate (npx); Node resolves that symlink, so __dirname is this folder.
 */
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const compiled = join(root, 'dist/apps/cli/apps/cli/src/main.js');
const sources = ['apps/cli/src', 'libs', 'package.json'].map((p) => join(root, p));

/** Newest modification time under `path` (0 when it is missing), skipping tests. */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return /\.spec\.ts$/.test(path) ? 0 : stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'test') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

function compiledIsCurrent() {
  if (process.env.TOLLGATE_CLI_FROM_SOURCE === '1') return false;
  let built;
  try {
    built = statSync(compiled).mtimeMs;
  } catch {
    return false;
  }
  return sources.every((s) => newest(s) <= built);
}

if (compiledIsCurrent()) {
  require(compiled).runMain();
} else {
  // tsx finds the @tollgate/* path aliases in the repository's tsconfig, wherever the
  // command is run from.
  process.env.TSX_TSCONFIG_PATH = join(root, 'tsconfig.json');
  let tsx;
  try {
    tsx = require('tsx/cjs/api');
  } catch {
    process.stderr.write(
      'tollgate: the CLI is not built and tsx is not installed: run `npm ci` (or `npm run build`)\n',
    );
    process.exit(1);
  }
  tsx.register();
  require(join(root, 'apps/cli/src/main.ts')).runMain();
}
