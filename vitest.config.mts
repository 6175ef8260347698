// One test runner for the whole repo. SWC compiles the TypeScript so that NestJS gets the
// decorator metadata its dependency injection reads (esbuild does not emit it).
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
      },
    }),
  ],
  resolve: {
    // Order matters: the more specific '/node' entry must come before its parent alias.
    alias: [
      { find: '@tollgate/ilp-core/node', replacement: resolve(root, 'libs/ilp-core/src/node.ts') },
      { find: '@tollgate/ilp-core', replacement: resolve(root, 'libs/ilp-core/src/index.ts') },
      { find: '@tollgate/btp/browser', replacement: resolve(root, 'libs/btp/src/browser.ts') },
      { find: '@tollgate/btp', replacement: resolve(root, 'libs/btp/src/index.ts') },
      { find: '@tollgate/ilp-http', replacement: resolve(root, 'libs/ilp-http/src/index.ts') },
      {
        find: '@tollgate/stream/node',
        replacement: resolve(root, 'libs/stream/src/node.ts'),
      },
      { find: '@tollgate/stream', replacement: resolve(root, 'libs/stream/src/index.ts') },
      { find: '@tollgate/spsp', replacement: resolve(root, 'libs/spsp/src/index.ts') },
      {
        find: '@tollgate/settlement',
        replacement: resolve(root, 'libs/settlement/src/index.ts'),
      },
      { find: '@tollgate/connector', replacement: resolve(root, 'libs/connector/src/index.ts') },
      {
        find: '@tollgate/migrations',
        replacement: resolve(root, 'prisma-free-migrations/index.ts'),
      },
    ],
  },
  test: {
    include: [
      'apps/**/*.spec.ts',
      'libs/**/*.spec.ts',
      'prisma-free-migrations/**/*.spec.ts',
      'protocol/**/*.spec.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
