// Which folder may not import which (the architecture's "never" arrows), as an ESLint rule, so
// `npm run lint` names the offending import and test/layers.test.ts fails CI on it.
// Test files are exempt: a test composes real parts from several layers (pairs a device through
// services to exercise the shape server, posts sales to test a service) as a handler would.
import path from 'node:path';

/** [from, to, why]: a file under `from/` never imports from `to/`. */
export const NEVER = [
  ['core', 'db', 'core is pure: it runs in the browser'],
  ['core', 'sync', 'core is pure'],
  ['core', 'functions', 'core is pure'],
  ['core', 'app', 'core knows no screen'],
  ['core', 'services', 'core is pure'],
  // Not in the architecture's list: the server configuration reads the environment, core reads none.
  ['core', 'config', 'core reads no environment: callers pass settings in'],
  ['db', 'functions', 'storage knows no handler'],
  ['db', 'app', 'storage knows no screen'],
  ['db', 'services', 'storage knows no service'],
  ['sync', 'app', 'sync knows no screen'],
  ['sync', 'functions', 'handlers sit on top of sync'],
  ['sync', 'services', 'transport knows no business posting'],
  ['services', 'functions', 'services know no Lambda event'],
  ['services', 'app', 'services know no screen'],
  ['services', 'sync', 'posting does not reach into transport'],
  ['app', 'functions', 'screens reach data through services or HTTP, not handlers'],
];

const TEST_FILE = /\.test\.tsx?$/;

/** The top folder of a repository-relative path ('' for a file at the root or outside). */
function topFolder(rel) {
  if (rel.startsWith('..') || path.isAbsolute(rel)) return '';
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : '';
}

/** The reason `file` may not import `specifier`, or undefined. Only relative specifiers name a folder of ours. */
export function forbiddenImport(root, file, specifier) {
  if (typeof specifier !== 'string' || !specifier.startsWith('.')) return undefined;
  const from = topFolder(path.relative(root, file));
  const to = topFolder(path.relative(root, path.resolve(path.dirname(file), specifier)));
  if (!from || !to || from === to) return undefined;
  const rule = NEVER.find(([f, t]) => f === from && t === to);
  return rule ? `${from}/ never imports ${to}/: ${rule[2]}` : undefined;
}

/** @param {string} root the repository root */
export function layerImportsRule(root) {
  return {
    meta: { type: 'problem', schema: [], messages: { never: '{{reason}} (docs: layers in the architecture; lint/layer-imports.mjs)' } },
    create(context) {
      const file = context.filename;
      if (TEST_FILE.test(file)) return {};
      const check = (node, source) => {
        const value =
          source?.type === 'Literal'
            ? source.value
            : source?.type === 'TemplateLiteral' && source.expressions.length === 0
              ? source.quasis[0].value.cooked
              : undefined;
        const reason = forbiddenImport(root, file, value);
        if (reason) context.report({ node, messageId: 'never', data: { reason } });
      };
      return {
        ImportDeclaration: (n) => check(n, n.source),
        ExportNamedDeclaration: (n) => n.source && check(n, n.source),
        ExportAllDeclaration: (n) => check(n, n.source),
        ImportExpression: (n) => check(n, n.source),
        TSImportType: (n) => check(n, n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.argument),
        TSExternalModuleReference: (n) => check(n, n.expression),
      };
    },
  };
}

/** The flat-config piece: the rule on every TypeScript source. */
export function layerImportsConfig(root) {
  return {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { layers: { rules: { 'never-import': layerImportsRule(root) } } },
    rules: { 'layers/never-import': 'error' },
  };
}
