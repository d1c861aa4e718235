import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromContext } from '../../lib/config.js';
import { AGENTS_GROUP, defaultDomainPrefix, WebIdentity } from '../../lib/constructs/identity.js';
import { WebHosting } from '../../lib/constructs/web-hosting.js';
import type { RefundHubStack } from '../../lib/refund-hub-stack.js';
import { synthStack } from '../synth-helpers.js';

let stack: RefundHubStack;
let template: Template;

beforeAll(() => {
  stack = synthStack().stack;
  template = Template.fromStack(stack);
}, 120_000);

const logicalId = (construct: IConstruct) =>
  stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
const resourceOf = (construct: IConstruct) => template.toJSON().Resources[logicalId(construct)];
const webOrigin = () => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.web.distribution), 'DomainName'] }]],
});
const quoted = () => ({
  'Fn::Join': ['', ["'https://", { 'Fn::GetAtt': [logicalId(stack.web.distribution), 'DomainName'] }, "'"]],
});
const page = (path: string) => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.web.distribution), 'DomainName'] }, path]],
});

/** Every policy a role has: managed policy ARNs, inline policies, and AWS::IAM::Policy resources attached to it. */
function permissionsOf(role: iam.IRole) {
  const resource = resourceOf(role);
  const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    (p.Properties.Roles ?? []).some(
      (r: unknown) => JSON.stringify(r) === JSON.stringify({ Ref: logicalId(role) }),
    ),
  );
  return {
    managed: resource.Properties.ManagedPolicyArns ?? [],
    inline: resource.Properties.Policies ?? [],
    attached,
  };
}

describe('hosted UI sign-in for the web app', () => {
  it('has a public client for the authorization code grant only, with the chat and the console as its only return pages', () => {
    const client = resourceOf(stack.webSignIn.webClient).Properties;
    expect(client.UserPoolId).toEqual({ Ref: logicalId(stack.api.userPool) });
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect([...client.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    // No password or SRP sign-in from the page: the hosted UI signs in, refresh tokens renew.
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.CallbackURLs).toEqual([page('/'), page('/agent')]);
    expect(client.LogoutURLs).toEqual([page('/'), page('/agent')]);
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
    expect(client.EnableTokenRevocation).toBe(true);
  });

  it('puts the hosted UI on a prefix of the stack name and account, or the one the operator configured', () => {
    const domain = resourceOf(stack.webSignIn.domain).Properties;
    expect(domain).toEqual({
      Domain: { 'Fn::Join': ['', ['refundhub-', { Ref: 'AWS::AccountId' }]] },
      UserPoolId: { Ref: logicalId(stack.api.userPool) },
    });
    const configured = configFromContext(
      new App({ context: { 'refundHub:cognitoDomainPrefix': 'acme-refunds' } }).node,
    );
    expect(configured.cognitoDomainPrefix).toBe('acme-refunds');
    for (const bad of ['Acme', '-acme', 'acme-aws-help', 'my_refunds'])
      expect(
        () => configFromContext(new App({ context: { 'refundHub:cognitoDomainPrefix': bad } }).node),
        bad,
      ).toThrow(/refundHub:cognitoDomainPrefix/);
    expect(() => defaultDomainPrefix(new Stack(new App(), 'AwsRefunds'))).toThrow(
      /refundHub:cognitoDomainPrefix/,
    );
  });
});

describe('agents: the agents group, the identity pool and the agent routes', () => {
  it('creates the agents group with the agents role, which can invoke the agent routes and nothing else', () => {
    expect(resourceOf(stack.webSignIn.agentsGroup).Properties).toMatchObject({
      GroupName: AGENTS_GROUP,
      UserPoolId: { Ref: logicalId(stack.api.userPool) },
      RoleArn: { 'Fn::GetAtt': [logicalId(stack.webSignIn.agentsRole), 'Arn'] },
    });
    expect(resourceOf(stack.webSignIn.agentsRole).Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Condition: {
          StringEquals: {
            'cognito-identity.amazonaws.com:aud': { Ref: logicalId(stack.webSignIn.identityPool) },
          },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
      },
    ]);
    expect(permissionsOf(stack.webSignIn.agentsRole)).toEqual({
      managed: [{ Ref: logicalId(stack.api.agentInvokePolicy) }],
      inline: [],
      attached: [],
    });
    const statements = resourceOf(stack.api.agentInvokePolicy).Properties.PolicyDocument.Statement;
    const resources = statements
      .flatMap((s: { Resource: unknown }) => s.Resource)
      .map((r: unknown) => JSON.stringify(r));
    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect(resource).toMatch(/\/agent\/(cases|returns)/);
  });

  it('exchanges only sign-ins from the web client, never unauthenticated, and maps roles from the token', () => {
    expect(resourceOf(stack.webSignIn.identityPool).Properties).toEqual({
      AllowClassicFlow: false,
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [
        {
          ClientId: { Ref: logicalId(stack.webSignIn.webClient) },
          ProviderName: {
            'Fn::Join': [
              '',
              [
                'cognito-idp.',
                { Ref: 'AWS::Region' },
                '.',
                { Ref: 'AWS::URLSuffix' },
                '/',
                { Ref: logicalId(stack.api.userPool) },
              ],
            ],
          },
          ServerSideTokenCheck: true,
        },
      ],
    });
    const attachment = resourceOf(stack.webSignIn.identityPool.roleAttachment).Properties;
    expect(attachment.IdentityPoolId).toEqual({ Ref: logicalId(stack.webSignIn.identityPool) });
    // The group's role comes in the ID token (cognito:preferred_role); a token without one gets the default role.
    expect(Object.values(attachment.RoleMappings)).toEqual([
      {
        Type: 'Token',
        AmbiguousRoleResolution: 'AuthenticatedRole',
        IdentityProvider: {
          'Fn::Join': [
            '',
            [
              { 'Fn::GetAtt': [logicalId(stack.api.userPool), 'ProviderName'] },
              ':',
              { Ref: logicalId(stack.webSignIn.webClient) },
            ],
          ],
        },
      },
    ]);
    expect(attachment.Roles.authenticated).toEqual({
      'Fn::GetAtt': [logicalId(stack.webSignIn.signedInRole), 'Arn'],
    });
  });

  it('gives every other signed-in user (customers) a role with no permission at all', () => {
    expect(permissionsOf(stack.webSignIn.signedInRole)).toEqual({ managed: [], inline: [], attached: [] });
    expect(permissionsOf(stack.webSignIn.identityPool.unauthenticatedRole)).toEqual({
      managed: [],
      inline: [],
      attached: [],
    });
  });

  it('keeps customers on their ID token (Cognito authorizer) and agents on SigV4 (IAM) for their routes', () => {
    for (const method of stack.api.api.methods.filter((m) => m.httpMethod !== 'OPTIONS')) {
      const path = method.resource.path;
      const auth = resourceOf(method).Properties.AuthorizationType;
      if (path.startsWith('/agent/') || path.startsWith('/admin/')) expect(auth, path).toBe('AWS_IAM');
      else if (!path.startsWith('/integrations/')) expect(auth, path).toBe('COGNITO_USER_POOLS');
    }
  });
});

describe('the API answers the web app from a browser (CORS)', () => {
  const preflights = () => stack.api.api.methods.filter((m) => m.httpMethod === 'OPTIONS');

  it('answers a preflight on every customer and agent route for the distribution origin, with the headers the pages send', () => {
    const routes = stack.api.api.methods.filter((m) => m.httpMethod !== 'OPTIONS');
    const browserPaths = new Set(
      routes
        .map((m) => m.resource.path)
        .filter((p) => !p.startsWith('/admin/') && !p.startsWith('/integrations/')),
    );
    expect([...new Set(preflights().map((m) => m.resource.path))].sort()).toEqual([...browserPaths].sort());
    for (const preflight of preflights()) {
      const props = resourceOf(preflight).Properties;
      expect(props.AuthorizationType).toBe('NONE');
      expect(props.Integration.Type).toBe('MOCK');
      const headers = props.Integration.IntegrationResponses[0].ResponseParameters;
      expect(headers['method.response.header.Access-Control-Allow-Origin']).toEqual(quoted());
      const allowed = headers['method.response.header.Access-Control-Allow-Headers']
        .replace(/'/g, '')
        .split(',');
      expect(allowed).toEqual(
        expect.arrayContaining([
          'Authorization',
          'Content-Type',
          'Idempotency-Key',
          'X-Amz-Date',
          'X-Amz-Security-Token',
        ]),
      );
      const methods = routes.filter((m) => m.resource === preflight.resource).map((m) => m.httpMethod);
      expect(
        headers['method.response.header.Access-Control-Allow-Methods'].replace(/'/g, '').split(',').sort(),
      ).toEqual(methods.sort());
    }
  });

  it('puts the origin on the handlers answers (WEB_ORIGIN) and on every error the gateway makes itself', () => {
    const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) =>
      id.startsWith('SupportApi'),
    );
    expect(functions.length).toBeGreaterThan(10);
    for (const [id, fn] of functions)
      expect(fn.Properties.Environment.Variables.WEB_ORIGIN, id).toEqual(webOrigin());

    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
    expect(responses.map((r) => r.Properties.ResponseType).sort()).toEqual([
      'ACCESS_DENIED',
      'BAD_REQUEST_BODY',
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'UNAUTHORIZED',
    ]);
    for (const response of responses)
      expect(
        response.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin'],
      ).toEqual(quoted());
  });
});

describe('web constructs on their own', () => {
  it('deletes the buckets with the stack only when configured to', () => {
    const build = (autoDeleteObjects: boolean) => {
      const small = new Stack(new App(), 'Small');
      const hosting = new WebHosting(small, 'Web', {
        connectOrigins: ['https://api.example.com'],
        autoDeleteObjects,
      });
      return {
        template: Template.fromStack(small),
        id: small.getLogicalId(hosting.bucket.node.defaultChild as CfnElement),
      };
    };
    const kept = build(false);
    expect(kept.template.toJSON().Resources[kept.id].DeletionPolicy).toBe('Retain');
    expect(Object.keys(kept.template.findResources('Custom::S3AutoDeleteObjects'))).toEqual([]);
    const deleted = build(true);
    expect(deleted.template.toJSON().Resources[deleted.id].DeletionPolicy).toBe('Delete');
    expect(Object.keys(deleted.template.findResources('Custom::S3AutoDeleteObjects'))).toHaveLength(2);
    expect(
      configFromContext(new App({ context: { 'refundHub:webAutoDeleteObjects': 'true' } }).node)
        .webAutoDeleteObjects,
    ).toBe(true);
    expect(configFromContext(new App().node).webAutoDeleteObjects).toBe(false);
  });

  it('lets an operator-chosen prefix through to the hosted UI domain', () => {
    const small = new Stack(new App(), 'Small');
    const pool = new cognito.UserPool(small, 'Pool');
    const policy = new iam.ManagedPolicy(small, 'Invoke', {
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: ['*'] })],
    });
    new WebIdentity(small, 'SignIn', {
      userPool: pool,
      agentInvokePolicy: policy,
      appUrl: 'https://d111111abcdef8.cloudfront.net',
      domainPrefix: 'acme-refunds',
    });
    const smallTemplate = Template.fromStack(small);
    smallTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-refunds' });
    smallTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://d111111abcdef8.cloudfront.net/', 'https://d111111abcdef8.cloudfront.net/agent'],
    });
  });
});
