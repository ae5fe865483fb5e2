// Lint: type-aware rules that catch what review misses (promises nobody awaits, any leaking out of
// database rows and JSON). Formatting is not lint's business.
import tseslint from 'typescript-eslint';
import { layerImportsConfig } from './lint/layer-imports.mjs';

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/**', 'public/**', '.serverless/**', '.esbuild/**', 'data/**', 'bench/out/**', '**/*.cjs', '**/*.mjs', 'remix.config.js'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  // Folders that may never import each other (architecture layers).
  layerImportsConfig(import.meta.dirname),
);
