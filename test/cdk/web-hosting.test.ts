import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebContent } from '../../lib/constructs/web-content.js';
import { SPA_REWRITE_SOURCE, WebHosting } from '../../lib/constructs/web-hosting.js';
import type { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';

let stack: RefundHubStack;
let template: Template;
let outdir: string;

beforeAll(() => {
  const synth = synthStack();
  stack = synth.stack;
  outdir = synth.app.outdir;
  template = Template.fromStack(stack);
}, 120_000);

const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const resourceOf = (construct: IConstruct) => template.toJSON().Resources[logicalId(construct)];

/** A CloudFormation value as text: `{ Ref: X }` becomes `<X>`, Fn::GetAtt `<X.Attr>`, Fn::Join its parts joined. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) return `<${node.Ref}>`;
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  if ('Fn::Sub' in node) return String(node['Fn::Sub']);
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The viewer-request function, run as CloudFront runs it: the URI it hands to the origin. */
function rewrite(uri: string, querystring: Record<string, unknown> = {}) {
  const handler = runInNewContext(`${SPA_REWRITE_SOURCE}; handler`) as (event: unknown) => {
    uri: string;
    querystring: unknown;
  };
  return handler({ request: { method: 'GET', uri, querystring, headers: {} } });
}

describe('static hosting of the web chat and the console', () => {
  it('keeps the bucket private: all public access blocked, TLS only, encrypted, readable only by this distribution (OAC)', () => {
    const site = resourceOf(stack.web.bucket);
    expect(site.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      site.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(site.Properties.WebsiteConfiguration).toBeUndefined();
    expect(site.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalId(stack.web.accessLogs) },
      LogFilePrefix: 's3/',
    });
    // Retained with the stack unless the operator asked for auto-deletion.
    expect(site.DeletionPolicy).toBe('Retain');

    const policies = template.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: logicalId(stack.web.bucket) } },
    });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    // One reader: CloudFront, signed with OAC, for this distribution only (no OAI, no public principal).
    expect(allows).toEqual([
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack.web.bucket), 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: logicalId(stack.web.distribution) },
                ],
              ],
            },
          },
        },
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    const origins = resourceOf(stack.web.distribution).Properties.DistributionConfig.Origins;
    expect(origins).toHaveLength(1);
    expect(origins[0].OriginAccessControlId).toBeDefined();
    expect(origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(Object.keys(template.findResources('AWS::CloudFront::CloudFrontOriginAccessIdentity'))).toEqual(
      [],
    );
  });

  it('serves index.html at the root over HTTPS only, with the rewrite and the security headers on every answer', () => {
    const config = resourceOf(stack.web.distribution).Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      ResponseHeadersPolicyId: { Ref: logicalId(stack.web.securityHeaders) },
      FunctionAssociations: [
        {
          EventType: 'viewer-request',
          FunctionARN: { 'Fn::GetAtt': [logicalId(stack.web.pathRewrite), 'FunctionARN'] },
        },
      ],
    });
    // Access logs of the distribution, beside the bucket's own.
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logicalId(stack.web.accessLogs), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
    const logs = resourceOf(stack.web.accessLogs).Properties;
    expect(logs.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(logs.LifecycleConfiguration.Rules).toEqual([{ ExpirationInDays: 90, Status: 'Enabled' }]);
  });

  it('sends HSTS, nosniff, DENY framing, no referrer, and a CSP naming only itself, the API, the hosted UI and Cognito identity', () => {
    const headers = resourceOf(stack.web.securityHeaders).Properties.ResponseHeadersPolicyConfig
      .SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 63_072_000,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });

    const csp = render(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...sources] = d.trim().split(/\s+/);
        return [name, sources];
      }),
    );
    const api = logicalId(stack.api.api);
    const domain = stack.webSignIn.domain.node.defaultChild as CfnElement;
    const prefix = render(template.toJSON().Resources[stack.getLogicalId(domain)].Properties.Domain);
    expect(directives['connect-src']).toEqual([
      "'self'",
      `https://<${api}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`,
      `https://${prefix}.auth.<AWS::Region>.amazoncognito.com`,
      'https://cognito-identity.<AWS::Region>.<AWS::URLSuffix>',
    ]);
    for (const directive of ['default-src', 'script-src', 'style-src'])
      expect(directives[directive], directive).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('rewrites the console to agent/index.html and other page paths to index.html, leaving files and the query alone', () => {
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: SPA_REWRITE_SOURCE,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    expect(rewrite('/agent').uri).toBe('/agent/index.html');
    expect(rewrite('/agent/').uri).toBe('/agent/index.html');
    expect(rewrite('/agent/cases/case-1').uri).toBe('/agent/index.html');
    // The hosted UI comes back to /agent?code=…&state=…: the query stays for the page to read.
    const back = rewrite('/agent', { code: { value: 'abc' }, state: { value: 'xyz' } });
    expect(back).toMatchObject({ uri: '/agent/index.html', querystring: { code: { value: 'abc' } } });
    expect(rewrite('/').uri).toBe('/index.html');
    expect(rewrite('/cases').uri).toBe('/index.html');
    expect(rewrite('/agents').uri).toBe('/index.html');
    expect(rewrite('/assets/index-3f2a.js').uri).toBe('/assets/index-3f2a.js');
    expect(rewrite('/config.json').uri).toBe('/config.json');
    expect(rewrite('/agent/index.html').uri).toBe('/agent/index.html');
  });
});

describe('the deployed app and its config.json', () => {
  const deployments = () =>
    [stack.webContent.assets, stack.webContent.pages].map(
      (d) =>
        template.toJSON().Resources[
          stack.getLogicalId(d.node.findChild('CustomResource').node.defaultChild as CfnElement)
        ],
    );

  it('uploads content-hashed assets (cached a year, never pruned) before the pages (revalidated, pruned, distribution invalidated)', () => {
    const [assets, pages] = deployments();
    const bucket = { Ref: logicalId(stack.web.bucket) };
    expect(assets.Properties).toMatchObject({
      DestinationBucketName: bucket,
      Exclude: ['*'],
      Include: ['assets/*'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(assets.Properties.DistributionId).toBeUndefined();
    expect(pages.Properties).toMatchObject({
      DestinationBucketName: bucket,
      Exclude: ['assets/*'],
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: { Ref: logicalId(stack.web.distribution) },
      DistributionPaths: ['/*'],
    });
    expect(pages.DependsOn).toEqual(
      expect.arrayContaining([
        stack.getLogicalId(
          stack.webContent.assets.node.findChild('CustomResource').node.defaultChild as CfnElement,
        ),
      ]),
    );
  });

  it('writes config.json with the API origin, region, user pool, web client, hosted UI and identity pool of this stack', () => {
    const [, pages] = deployments();
    const keys: string[] = pages.Properties.SourceObjectKeys;
    const markers: Record<string, unknown>[] = pages.Properties.SourceMarkers;
    // The config is the source with markers (tokens resolved at deploy time); the other one is the app.
    const configIndex = markers.findIndex((m) => Object.keys(m).length > 0);
    const staged = join(outdir, `asset.${keys[configIndex]?.replace(/\.zip$/, '')}`, 'config.json');
    let text = readFileSync(staged, 'utf8');
    for (const [marker, value] of Object.entries(markers[configIndex] ?? {}))
      text = text.split(marker).join(render(value));
    const config = JSON.parse(text);

    const ref = (construct: IConstruct) => `<${logicalId(construct)}>`;
    expect(config).toEqual({
      mode: 'aws',
      apiUrl: `https://${ref(stack.api.api)}.execute-api.<AWS::Region>.<AWS::URLSuffix>`,
      region: '<AWS::Region>',
      userPoolId: ref(stack.api.userPool),
      userPoolClientId: ref(stack.webSignIn.webClient),
      cognitoDomain: `https://${ref(stack.webSignIn.domain)}.auth.<AWS::Region>.amazoncognito.com`,
      identityPoolId: ref(stack.webSignIn.identityPool),
    });
  });

  it('deploys the built app when web/dist exists, else a placeholder page and a synth warning saying how to build it', () => {
    const [, pages] = deployments();
    const appIndex = (pages.Properties.SourceMarkers as Record<string, unknown>[]).findIndex(
      (m) => Object.keys(m).length === 0,
    );
    const appDir = join(outdir, `asset.${pages.Properties.SourceObjectKeys[appIndex].replace(/\.zip$/, '')}`);
    expect(existsSync(join(appDir, 'index.html'))).toBe(true);
    expect(existsSync(join(appDir, 'agent', 'index.html'))).toBe(true);
    const warnings = stack.webContent.node.metadata.filter((m) => m.type === 'aws:cdk:warning');
    if (stack.webContent.built) {
      expect(warnings).toEqual([]);
    } else {
      expect(readFileSync(join(appDir, 'index.html'), 'utf8')).toContain('npm run build:web');
      expect(String(warnings[0]?.data)).toMatch(/placeholder page.*npm run build:web/);
    }
  });

  it('outputs the web URL, the hosted UI and the identity pool', () => {
    expect(render(template.findOutputs('WebUrl').WebUrl?.Value)).toBe(
      `https://<${logicalId(stack.web.distribution)}.DomainName>`,
    );
    expect(render(template.findOutputs('HostedUiUrl').HostedUiUrl?.Value)).toBe(
      `https://<${logicalId(stack.webSignIn.domain)}>.auth.<AWS::Region>.amazoncognito.com`,
    );
    expect(template.findOutputs('IdentityPoolId').IdentityPoolId?.Value).toEqual({
      Ref: logicalId(stack.webSignIn.identityPool),
    });
  });

  it('deploys a built web/dist as it is, without the warning', () => {
    // Prepare: what vite writes (the chat, the console, hashed assets).
    const dist = mkdtempSync(join(tmpdir(), 'refund-hub-dist-'));
    mkdirSync(join(dist, 'agent'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Refund Hub chat</title>');
    writeFileSync(join(dist, 'agent', 'index.html'), '<!doctype html><title>Refund Hub console</title>');
    writeFileSync(join(dist, 'assets', 'chat-3f2a1b.js'), 'console.log(1)');
    const app = new App();
    const small = new Stack(app, 'Small');
    const hosting = new WebHosting(small, 'Web', { connectOrigins: ['https://api.example.com'] });

    // Act
    const content = new WebContent(small, 'Content', {
      bucket: hosting.bucket,
      distribution: hosting.distribution,
      distDirectory: dist,
      config: { mode: 'aws', apiUrl: 'https://api.example.com' },
    });
    const assembly = app.synth();

    // Assess
    expect(content.built).toBe(true);
    expect(content.node.metadata.filter((m) => m.type === 'aws:cdk:warning')).toEqual([]);
    const pages = Object.values(Template.fromStack(small).findResources('Custom::CDKBucketDeployment')).find(
      (d) => d.Properties.Prune === true,
    );
    const key = String(pages?.Properties.SourceObjectKeys[0]).replace(/\.zip$/, '');
    const staged = join(assembly.directory, `asset.${key}`);
    expect(readFileSync(join(staged, 'agent', 'index.html'), 'utf8')).toContain('Refund Hub console');
    expect(existsSync(join(staged, 'assets', 'chat-3f2a1b.js'))).toBe(true);
  });
});
