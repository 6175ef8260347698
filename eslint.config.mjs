// One lint setup for the whole monorepo: typescript-eslint's recommended rules, plus the
// rules that keep money and the protocol libraries honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.tollgate/**',
      'test-results/**',
      '**/.next/**',
      '**/next-env.d.ts',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Money is bigint: parseFloat has no business near it.
      'no-restricted-globals': [
        'error',
        { name: 'parseFloat', message: 'Money is bigint; never parse floats.' },
      ],
    },
  },
  {
    // Libraries are framework-free and run in the browser too.
    files: ['libs/**/*.ts'],
    ignores: ['libs/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'express', 'pg'],
              message: 'libs/ stay framework-free.',
            },
          ],
        },
      ],
    },
  },
);
