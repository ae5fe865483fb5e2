// The template checker must catch what it claims to (it stands in for cfn-lint, which cannot be installed here).
import { describe, expect, it } from 'vitest';
import { checkTemplate } from './check-package';

const fn = (extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    Runtime: 'nodejs20.x',
    Architectures: ['arm64'],
    MemorySize: 256,
    Timeout: 29,
    Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
    VpcConfig: { SubnetIds: ['{{resolve:ssm:/till/cloud/subnet-a}}'], SecurityGroupIds: ['{{resolve:ssm:/till/cloud/lambda-security-group}}'] },
    Environment: {
      Variables: {
        DATABASE_URL: '{{resolve:secretsmanager:till/cloud/database-url}}',
        ELECTRIC_SECRET: '{{resolve:secretsmanager:till/cloud/electric-secret}}',
        METRICS_TOKEN: '{{resolve:secretsmanager:till/cloud/metrics-token}}',
        TILL_FORWARDER: 'platform',
      },
    },
    ...extra,
  },
});
const role = (actions: unknown, effect = 'Allow') => ({
  Type: 'AWS::IAM::Role',
  Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: effect, Action: actions, Resource: '*' }] } }] },
});

describe('checkTemplate', () => {
  it('accepts a sound template', () => {
    expect(checkTemplate({ Resources: { Role: role(['logs:PutLogEvents']), Fn: fn() } }, 'edge')).toEqual([]);
  });

  it('finds dangling references, unknown types, wildcard grants and unset runtimes', () => {
    const problems = checkTemplate(
      {
        Resources: {
          Role: role(['logs:PutLogEvents', 's3:*']),
          Admin: role('*'),
          Managed: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] } },
          Guard: role('s3:*', 'Deny'),
          Fn: fn({ Runtime: 'nodejs18.x', Architectures: undefined, Code: { S3Bucket: { Ref: 'Nowhere' } } }),
          Sub: { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: { 'Fn::Sub': '${Missing.Arn}/*' }, PolicyDocument: {} } },
          Typo: { Type: 'AWS::Lamda::Function' },
        },
        Outputs: { X: { Value: { 'Fn::GetAtt': ['Gone', 'Arn'] } } },
      },
      'edge',
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'Role: Allow with wildcard action "s3:*"',
        'Admin: Allow with wildcard action "*"',
        'Managed: managed policy "arn:aws:iam::aws:policy/AdministratorAccess" is not least privilege',
        'Fn: runtime nodejs18.x, expected nodejs20.x',
        'Fn: no architecture set',
        'Fn: Ref to missing Nowhere',
        'Sub: Fn::Sub names missing Missing',
        'Typo: unknown resource type AWS::Lamda::Function',
        'Outputs.X: Fn::GetAtt on missing Gone',
      ]),
    );
    expect(problems.some((p) => p.startsWith('Guard'))).toBe(false);
  });

  it('holds the cloud stage to arm64, secret references, log retention, HTTP timeouts and the asset routes', () => {
    const problems = checkTemplate(
      {
        Resources: {
          Fn: fn({ Architectures: ['x86_64'], Timeout: 30, VpcConfig: undefined, Environment: { Variables: { DATABASE_URL: 'postgres://user:pw@db/till' } } }),
          FnLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: {} },
          Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
        },
      },
      'cloud',
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'Fn: expected arm64 in the cloud stage',
        'Fn: DATABASE_URL is not a Secrets Manager reference',
        'Fn: TILL_FORWARDER is undefined, expected "platform"',
        'FnLogGroup: no log retention',
        'Fn: not in a VPC',
        "Integration: function Fn timeout 30 is not under the HTTP API's 30 s",
        'no CloudFront distribution',
      ]),
    );
  });
});
