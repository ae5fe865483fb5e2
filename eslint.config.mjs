// Lint: type-aware rules that catch what review misses (promises nobody awaits, any leaking out of
// database rows and JSON). Formatting is not lint's business.
import tseslint from 'typescript-eslint';
import { layerImportsConfig } from './lint/layer-imports.mjs';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'build/**',
      'public/**',
      '.serverless/**',
      '.esbuild/**',
      'data/**',
      'bench/out/**',
      '**/*.cjs',
      '**/*.mjs',
      'remix.config.js',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // A leading underscore marks a binding kept on purpose (a positional parameter, a key dropped from a rest copy).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Remix loaders and actions throw a Response (redirect, 404, 503) by design; anything else thrown must be an Error.
      '@typescript-eslint/only-throw-error': [
        'error',
        {
          allow: [
            { from: 'lib', name: 'Response' },
            { from: 'package', package: '@remix-run/server-runtime', name: 'TypedResponse' },
          ],
        },
      ],
      // zod's `z` export is one namespace object holding every locale: importing it puts ~450 KB into the
      // register's worker and pages; the module namespace lets the bundler keep only what is used.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
          message: "Use `import * as z from 'zod'`: the named `z` bundles every locale.",
        },
      ],
    },
  },
  // Tests and benchmarks read raw rows and JSON bodies to check them against literal expectations;
  // typing every such read would restate the assertion, and their fakes implement async interfaces
  // without awaiting anything. The product code they exercise is held to the full rules above.
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // Folders that may never import each other (architecture layers).
  layerImportsConfig(import.meta.dirname),
);
