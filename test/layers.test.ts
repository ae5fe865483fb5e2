// Guard-rail: no source file imports a folder its layer may never import (lint/layer-imports.mjs).
// Runs the same ESLint rule `npm run lint` runs, alone and without type information, so it is quick.
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { forbiddenImport, layerImportsConfig } from '../lint/layer-imports.mjs';

const root = path.resolve(import.meta.dirname, '..');

function layersOnly() {
  return new ESLint({
    cwd: root,
    overrideConfigFile: true,
    // An inline eslint-disable cannot silence the guard-rail (and other rules' directives are not ours to judge).
    allowInlineConfig: false,
    overrideConfig: [
      { ignores: ['node_modules/**', 'build/**', 'public/**', '.serverless/**', '.esbuild/**', 'data/**', 'bench/out/**'] },
      { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } },
      layerImportsConfig(root),
    ],
  });
}

describe('layers', () => {
  it('no source file imports a folder its layer never may', { timeout: 180_000 }, async () => {
    const results = await layersOnly().lintFiles(['**/*.ts', '**/*.tsx']);
    const found = results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`));
    expect(results.length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });

  it('names static imports, re-exports, dynamic and type imports across a forbidden line', async () => {
    const code = [
      `import { a } from '../sync/shape-log';`,
      `import type { B } from '../functions/lib/auth';`,
      `export * from '../app/lib/db.server';`,
      `export { c } from '../../services/posting/ingest';`,
      `const d = await import('../sync/shape-server');`,
      `type E = import('../app/root').F;`,
      `import { ok } from './posting/ingest';`,
      `import { g } from '../db/client';`,
      `import * as z from 'zod';`,
    ].join('\n');
    const [r] = await layersOnly().lintText(code, { filePath: path.join(root, 'services/example.ts') });
    expect(r!.messages.map((m) => m.line)).toEqual([1, 2, 3, 5, 6]);
    expect(r!.messages[0]!.message).toContain('services/ never imports sync/: posting does not reach into transport');
  });

  it('resolves specifiers to folders from the importing file', () => {
    const f = (file: string, spec: string) => forbiddenImport(root, path.join(root, file), spec);
    expect(f('sync/register/pusher.ts', '../../services/device-auth')).toMatch(/transport knows no business posting/);
    expect(f('sync/register/pusher.ts', '../shape-log')).toBeUndefined();
    expect(f('core/cart.ts', '../db/client')).toMatch(/core is pure/);
    expect(f('functions/push.ts', '../services/posting/ingest')).toBeUndefined();
    expect(f('app/routes/x.tsx', '../../functions/lib/auth')).toMatch(/not handlers/);
  });
});
