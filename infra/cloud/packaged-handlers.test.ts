// The cloud artifact itself: `serverless package --stage cloud` (offline, no AWS credentials), then
// handlers loaded FROM THE ZIPS and invoked with API Gateway v2 events against a migrated database.
// CI packages once and passes the folder in TILL_CLOUD_PACKAGE; otherwise this test packages into a
// temporary folder (serverless then also clears the project's .serverless/).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../seeds/demo';
import { backends, useMigratedDatabase } from '../../test/databases';
import { apiEvent, createPrincipals, type Principals } from '../../test/fixtures/principals';
import { checkPackage } from './check-package';
import { extractZip } from './zip';

const root = path.resolve(__dirname, '../..');
type Handler = (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const context = { awsRequestId: 'packaged', getRemainingTimeInMillis: () => 29_000 } as unknown as Context;

let packageDir = process.env.TILL_CLOUD_PACKAGE ? path.resolve(root, process.env.TILL_CLOUD_PACKAGE) : '';
let ownPackage = '';
const unzipped = mkdtempSync(path.join(tmpdir(), 'till-packaged-'));

beforeAll(async () => {
  if (!packageDir) {
    ownPackage = packageDir = mkdtempSync(path.join(tmpdir(), 'till-package-'));
    await promisify(execFile)(
      process.execPath,
      [path.join(root, 'node_modules/serverless/bin/serverless.js'), 'package', '--stage', 'cloud', '--package', packageDir],
      {
        cwd: root,
        env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      },
    );
  }
}, 180_000);

afterAll(() => {
  rmSync(unzipped, { recursive: true, force: true });
  if (ownPackage) rmSync(ownPackage, { recursive: true, force: true });
});

/**
 * The named function's handler, required from its own unzipped package, with the plain (not
 * CloudFormation-resolved) environment the template gives it and its folder as the task root.
 */
async function packaged(fn: string, exportPath: string): Promise<Handler> {
  const dir = path.join(unzipped, fn);
  extractZip(await readFile(path.join(packageDir, `${fn}.zip`)), dir);
  const template = JSON.parse(await readFile(path.join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  const logical = `${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`;
  const env: Record<string, string> = template.Resources[logical].Properties.Environment.Variables;
  const plain = Object.entries(env).filter(([k, v]) => !String(v).startsWith('{{resolve:') && k !== 'NODE_OPTIONS');
  const [file, name] = exportPath.split('.') as [string, string];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const handler: Handler = require(path.join(dir, `${file}.js`))[name];
  return async (event, ctx) => {
    const before = { ...process.env };
    Object.assign(process.env, Object.fromEntries(plain), { LAMBDA_TASK_ROOT: dir });
    try {
      return await handler(event, ctx);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in before)) delete process.env[k];
      Object.assign(process.env, before);
    }
  };
}

describe('the cloud package', () => {
  it('is a cloud stage package within Lambda limits, with no assets in the Remix function and a sound template', () => {
    const { stage, zips, problems } = checkPackage(packageDir);
    expect(stage).toBe('cloud');
    expect(problems).toEqual([]);
    expect(zips.map((z) => z.name)).toContain('remix');
    expect(zips.find((z) => z.name === 'remix')!.publicFiles).toBe(0);
  });
});

describe.each(backends)('handlers from the cloud zips on %s', (backend) => {
  const migrated = useMigratedDatabase(backend);
  let p: Principals;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, ELECTRIC_URL: process.env.ELECTRIC_URL };

  beforeAll(async () => {
    await seedDemo(migrated.database, { itemsPerCompany: 30, sharedBarcodes: 5, customers: 5 });
    p = await createPrincipals(migrated.database);
    process.env.DATABASE_URL = migrated.url;
    delete process.env.ELECTRIC_URL;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  });

  it('health answers with the database reachable and migrations current', async () => {
    const health = await packaged('health', 'functions/health.handler');
    const r = await health(apiEvent('GET', '/health'), context);
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body!);
    expect(body.database.reachable).toBe(true);
    expect(body.migrations.current).toBe(true);
  });

  it('items: 400 naming the field for bad input, the company page for its device', async () => {
    const items = await packaged('itemsList', 'functions/items.list');
    const bad = await items(apiEvent('GET', '/api/companies/nope/items', { token: p.both, pathParameters: { companyId: 'nope' } }), context);
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body!).issues[0].path).toBe('path.companyId');

    const anon = await items(apiEvent('GET', `/api/companies/${p.companies.O}/items`, { pathParameters: { companyId: p.companies.O } }), context);
    expect(anon.statusCode).toBe(401);

    const ok = await items(
      apiEvent('GET', `/api/companies/${p.companies.O}/items`, { token: p.both, pathParameters: { companyId: p.companies.O }, query: { limit: '5' } }),
      context,
    );
    expect(ok.statusCode).toBe(200);
    const body = JSON.parse(ok.body!);
    expect(body.items).toHaveLength(5);
    for (const item of body.items) expect(item.companyId ?? p.companies.O).toBe(p.companies.O);
  });

  it('shape (no ELECTRIC_URL: the change log answers) and remix (documents only, no static files)', async () => {
    const shape = await packaged('shape', 'functions/shape.handler');
    const r = await shape(apiEvent('GET', '/v1/shape', { token: p.official, query: { table: 'companies', offset: '-1' } }), context);
    expect(r.statusCode).toBe(200);
    expect(r.headers?.['electric-handle']).toBeDefined();
    expect(JSON.parse(r.body!).filter((m: { key?: string }) => m.key)).toHaveLength(1);

    const remix = await packaged('remix', 'functions/remix.handler');
    // CloudFront sends /sw.js and /build/* to S3; the function has no such files and serves none.
    for (const url of ['/sw.js', '/pglite/pglite.wasm']) {
      const r = await remix(apiEvent('GET', url), context);
      expect(r.statusCode, url).toBe(404);
      expect(String(r.headers?.['content-type'] ?? ''), url).not.toMatch(/javascript|wasm/);
    }
  });
});
