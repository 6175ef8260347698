import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findWebDir, startWebFrontend, webFrontendProblem } from './web-frontend';

describe('the web front end launcher', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'tollgate-web-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds apps/web above itself, in src/ as in dist/', () => {
    expect(findWebDir(__dirname)).toBe(resolve(__dirname, '../../../web'));
    expect(findWebDir(scratch)).toBeUndefined();
  });

  it('says why it cannot start an unbuilt app, without spawning anything', async () => {
    const dir = join(scratch, 'apps', 'web');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'next.config.ts'), 'export default {};\n');
    expect(webFrontendProblem(dir)).toBe('apps/web is not built (npm run build:web)');
    const web = startWebFrontend({ dir, port: 1, host: '127.0.0.1', apiUrl: 'http://x' });
    await expect(web.ready).rejects.toThrow('apps/web is not built (npm run build:web)');
    await web.stop();
    mkdirSync(join(dir, '.next'));
    writeFileSync(join(dir, '.next', 'BUILD_ID'), 'x');
    expect(webFrontendProblem(dir)).toBeUndefined();
  });
});
