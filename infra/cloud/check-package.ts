// Checks what `serverless package` left in .serverless/: each function zip against Lambda's size
// limits, no static assets inside the Remix function in the cloud stage, and the CloudFormation
// template's structure. cfn-lint (PyPI) cannot be installed here, so this is a small structural
// checker, not a schema validation: references resolve, resource types are known AWS types, no
// Allow statement grants a wildcard action, every function has its runtime and architecture.
// Usage: tsx infra/cloud/check-package.ts [.serverless]   (exit 1 with the problems listed)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { readZip } from './zip';

/** Lambda's limits for a zip deployment package. */
export const LIMITS = { zipped: 50 * 1024 * 1024, unzipped: 250 * 1024 * 1024 };

/** The AWS resource types this service may create; anything else is a typo or a surprise. */
export const KNOWN_TYPES = new Set([
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Stage',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::Function',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::ResponseHeadersPolicy',
  'AWS::Events::Rule',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Lambda::Version',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
]);

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

export interface ZipReport {
  name: string;
  zipped: number;
  unzipped: number;
  files: number;
  publicFiles: number;
  nativeAddons: string[];
}

export function inspectZip(file: string): ZipReport {
  const buf = readFileSync(file);
  const entries = readZip(buf).filter((e) => !e.name.endsWith('/'));
  return {
    name: path.basename(file, '.zip'),
    zipped: buf.length,
    unzipped: entries.reduce((n, e) => n + e.size, 0),
    files: entries.length,
    publicFiles: entries.filter((e) => e.name.startsWith('public/')).length,
    nativeAddons: entries.filter((e) => e.name.endsWith('.node')).map((e) => e.name),
  };
}

type Template = {
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string }>;
  Outputs?: Record<string, unknown>;
};

/** Every Ref / Fn::GetAtt / Fn::Sub target under `node`. */
function references(node: unknown, out: { kind: string; target: string }[] = []): { kind: string; target: string }[] {
  if (Array.isArray(node)) for (const x of node) references(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === 'Ref' && typeof v === 'string') out.push({ kind: 'Ref', target: v });
      else if (k === 'Fn::GetAtt') {
        const target: unknown = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
        if (typeof target === 'string') out.push({ kind: 'Fn::GetAtt', target });
      } else if (k === 'Fn::Sub') {
        const args: unknown[] = Array.isArray(v) ? v : [v];
        const text = args[0];
        const given = args[1];
        const vars: object = typeof given === 'object' && given !== null ? given : {};
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const name = m[1]!.split('.')[0]!;
            if (!(name in vars)) out.push({ kind: 'Fn::Sub', target: name });
          }
        }
        references(vars, out);
        continue;
      }
      references(v, out);
    }
  }
  return out;
}

type PolicyStatement = { Effect?: unknown; Action?: unknown; NotAction?: unknown };

function statements(doc: unknown): PolicyStatement[] {
  const s = (doc as { Statement?: unknown })?.Statement;
  const list: unknown[] = Array.isArray(s) ? s : s ? [s] : [];
  return list.filter((x): x is PolicyStatement => typeof x === 'object' && x !== null);
}

/** Structural problems in the template; `stage` adds the cloud stage's own expectations. */
export function checkTemplate(t: Template, stage: string): string[] {
  const problems: string[] = [];
  const names = new Set([...Object.keys(t.Resources), ...Object.keys(t.Parameters ?? {})]);
  const walk = (where: string, node: unknown) => {
    for (const r of references(node)) {
      if (r.kind === 'Ref' && !names.has(r.target) && !PSEUDO.has(r.target)) problems.push(`${where}: Ref to missing ${r.target}`);
      if (r.kind === 'Fn::GetAtt' && !t.Resources[r.target]) problems.push(`${where}: Fn::GetAtt on missing ${r.target}`);
      if (r.kind === 'Fn::Sub' && !names.has(r.target) && !PSEUDO.has(r.target)) problems.push(`${where}: Fn::Sub names missing ${r.target}`);
    }
  };
  for (const [id, res] of Object.entries(t.Resources)) {
    if (!KNOWN_TYPES.has(res.Type)) problems.push(`${id}: unknown resource type ${res.Type}`);
    walk(id, res.Properties);
    for (const d of [res.DependsOn ?? []].flat()) if (!t.Resources[d]) problems.push(`${id}: DependsOn missing ${d}`);
    if (res.Condition && !(t.Conditions ?? {})[res.Condition]) problems.push(`${id}: Condition ${res.Condition} is not defined`);

    const docs: unknown[] = [];
    if (res.Type === 'AWS::IAM::Role') {
      for (const p of (res.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) docs.push(p.PolicyDocument);
      // Only AWS's network-interface policy for functions in a VPC (specific ec2 actions).
      for (const arn of (res.Properties?.ManagedPolicyArns as unknown[]) ?? []) {
        if (!JSON.stringify(arn).includes(':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'))
          problems.push(`${id}: managed policy ${JSON.stringify(arn)} is not least privilege`);
      }
    }
    if (res.Type === 'AWS::IAM::Policy' || res.Type === 'AWS::S3::BucketPolicy') docs.push(res.Properties?.PolicyDocument);
    for (const doc of docs) {
      for (const s of statements(doc)) {
        if (s.NotAction) problems.push(`${id}: NotAction grants everything else`);
        // A Deny may be broad (the deployment bucket refuses every non-TLS request); an Allow may not.
        if (s.Effect !== 'Allow') continue;
        for (const a of [s.Action ?? []].flat())
          if (typeof a !== 'string' || a.includes('*')) problems.push(`${id}: Allow with wildcard action ${JSON.stringify(a)}`);
      }
    }

    if (res.Type === 'AWS::Lambda::Function') {
      const p = res.Properties ?? {};
      if (p.Runtime !== 'nodejs20.x') problems.push(`${id}: runtime ${String(p.Runtime)}, expected nodejs20.x`);
      const arch = p.Architectures as string[] | undefined;
      if (!arch?.length) problems.push(`${id}: no architecture set`);
      if (typeof p.MemorySize !== 'number' || typeof p.Timeout !== 'number') problems.push(`${id}: memory or timeout not set`);
      if (stage === 'cloud') {
        if (arch?.[0] !== 'arm64') problems.push(`${id}: expected arm64 in the cloud stage`);
        const env = (p.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {};
        if (!(p.VpcConfig as { SubnetIds?: unknown[] })?.SubnetIds?.length) problems.push(`${id}: not in a VPC`);
        for (const secret of ['DATABASE_URL', 'ELECTRIC_SECRET', 'METRICS_TOKEN']) {
          const value = env[secret];
          if (!(typeof value === 'string' && value.startsWith('{{resolve:secretsmanager:')))
            problems.push(`${id}: ${secret} is not a Secrets Manager reference`);
        }
        // Behind CloudFront a client can write x-forwarded-for: the edge's trust in it must not ship.
        if (env.TILL_FORWARDER !== 'platform') problems.push(`${id}: TILL_FORWARDER is ${JSON.stringify(env.TILL_FORWARDER)}, expected "platform"`);
      }
    }
    if (stage === 'cloud' && res.Type === 'AWS::Logs::LogGroup' && typeof res.Properties?.RetentionInDays !== 'number')
      problems.push(`${id}: no log retention`);
  }
  for (const [id, out] of Object.entries(t.Outputs ?? {})) walk(`Outputs.${id}`, out);

  if (stage === 'cloud') {
    // Functions behind the HTTP API must answer within its 30 s integration limit.
    for (const [id, res] of Object.entries(t.Resources)) {
      if (res.Type !== 'AWS::ApiGatewayV2::Integration') continue;
      const fn = ((res.Properties?.IntegrationUri as { 'Fn::GetAtt'?: string[] })?.['Fn::GetAtt'] ?? [])[0];
      const timeout = fn ? (t.Resources[fn]?.Properties?.Timeout as number) : undefined;
      if (!fn || !(timeout! < 30)) problems.push(`${id}: function ${fn} timeout ${timeout} is not under the HTTP API's 30 s`);
    }
    const dist = Object.values(t.Resources).find((r) => r.Type === 'AWS::CloudFront::Distribution');
    const config = dist?.Properties?.DistributionConfig as
      { Origins: { Id: string; S3OriginConfig?: unknown }[]; CacheBehaviors?: { PathPattern: string; TargetOriginId: string }[] } | undefined;
    if (!config) problems.push('no CloudFront distribution');
    else {
      const s3 = new Set(config.Origins.filter((o) => o.S3OriginConfig).map((o) => o.Id));
      for (const pattern of ['/build/*', '/pglite/*', '/vendor/*', '/sw.js']) {
        const b = config.CacheBehaviors?.find((x) => x.PathPattern === pattern);
        if (!b || !s3.has(b.TargetOriginId)) problems.push(`CloudFront: ${pattern} does not go to the S3 origin`);
      }
    }
  }
  return problems;
}

/** The part of serverless-state.json read here. */
const serverlessState = z.object({ service: z.object({ provider: z.object({ stage: z.string() }) }) });

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function checkPackage(dir: string): { stage: string; zips: ZipReport[]; problems: string[] } {
  const state = serverlessState.parse(JSON.parse(readFileSync(path.join(dir, 'serverless-state.json'), 'utf8')));
  const stage = state.service.provider.stage;
  const zips = readdirSync(dir)
    .filter((f) => f.endsWith('.zip'))
    .sort()
    .map((f) => inspectZip(path.join(dir, f)));
  const problems: string[] = [];
  if (zips.length === 0) problems.push('no function zips');
  for (const z of zips) {
    if (z.zipped > LIMITS.zipped) problems.push(`${z.name}: ${mb(z.zipped)} zipped, over Lambda's 50 MB`);
    if (z.unzipped > LIMITS.unzipped) problems.push(`${z.name}: ${mb(z.unzipped)} unzipped, over Lambda's 250 MB`);
    if (z.nativeAddons.length) problems.push(`${z.name}: native addons (architecture-specific): ${z.nativeAddons.join(', ')}`);
    if (stage === 'cloud' && z.publicFiles > 0) problems.push(`${z.name}: ${z.publicFiles} public/ files packaged; the cloud serves them from S3`);
  }
  const template = JSON.parse(readFileSync(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  problems.push(...checkTemplate(template, stage));
  return { stage, zips, problems };
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? '.serverless');
  const { stage, zips, problems } = checkPackage(dir);
  console.log(`stage ${stage}: ${zips.length} functions`);
  for (const z of zips) console.log(`  ${z.name.padEnd(16)} ${mb(z.zipped).padStart(9)} zipped ${mb(z.unzipped).padStart(9)} unzipped  ${z.files} files`);
  if (problems.length) {
    console.error(`${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('package and template checks passed');
}
