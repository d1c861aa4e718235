import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as identitypool from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';

/** The user pool group whose members the identity pool gives the agents' role. */
export const AGENTS_GROUP = 'agents';

export interface WebIdentityProps {
  /** The one user pool customers and agents sign in to (SupportApi's). */
  readonly userPool: cognito.UserPool;
  /** execute-api:Invoke on the agent routes (SupportApi.agentInvokePolicy): the only permission agents get. */
  readonly agentInvokePolicy: iam.IManagedPolicy;
  /** The web app's origin (`https://…`, no trailing slash): the chat at `/`, the console at `/agent`. */
  readonly appUrl: string;
  /** The hosted UI's domain prefix (`defaultDomainPrefix` unless the operator chose one). */
  readonly domainPrefix: string;
}

/**
 * Who signs in to the web app and what they may then call: the hosted UI (authorization code grant with PKCE, a
 * public client), the `agents` group, and an identity pool that exchanges an agent's ID token for credentials of
 * the agents' role (the agent routes, SigV4). Every other signed-in user maps to a role with no permissions;
 * customers keep calling their routes with the ID token (the API's Cognito authorizer), not AWS credentials.
 */
export class WebIdentity extends Construct {
  public readonly domain: cognito.UserPoolDomain;
  public readonly webClient: cognito.UserPoolClient;
  public readonly agentsGroup: cognito.UserPoolGroup;
  public readonly identityPool: identitypool.IdentityPool;
  /** Assumed through the identity pool by members of `agents` (their ID token's cognito:preferred_role). */
  public readonly agentsRole: iam.Role;
  /** Everyone else signed in: no policy at all, so their credentials can call nothing. */
  public readonly signedInRole: iam.IRole;
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  public readonly hostedUiUrl: string;

  constructor(scope: Construct, id: string, props: WebIdentityProps) {
    super(scope, id);

    this.domain = new cognito.UserPoolDomain(this, 'HostedUi', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
    this.hostedUiUrl = this.domain.baseUrl();

    const appPages = [`${props.appUrl}/`, `${props.appUrl}/agent`];
    this.webClient = new cognito.UserPoolClient(this, 'WebApp', {
      userPool: props.userPool,
      userPoolClientName: 'refund-hub-web',
      // A browser cannot keep a secret: a public client, and PKCE binds each code to the page that asked for it.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: appPages,
        logoutUrls: appPages,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    // Sign-in only through the hosted UI (no password or SRP calls from the page); refresh tokens renew the session.
    (this.webClient.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = [
      'ALLOW_REFRESH_TOKEN_AUTH',
    ];

    this.identityPool = new identitypool.IdentityPool(this, 'Identities', {
      allowUnauthenticatedIdentities: false,
      allowClassicFlow: false,
      authenticationProviders: {
        userPools: [
          new identitypool.UserPoolAuthenticationProvider({
            userPool: props.userPool,
            userPoolClient: this.webClient,
          }),
        ],
      },
      // The role comes from the ID token (the group's role); a token without one gets the no-permission role.
      roleMappings: [
        {
          mappingKey: 'webSignIn',
          providerUrl: identitypool.IdentityPoolProviderUrl.userPool(props.userPool, this.webClient),
          useToken: true,
          resolveAmbiguousRoles: true,
        },
      ],
    });
    this.signedInRole = this.identityPool.authenticatedRole;

    this.agentsRole = new iam.Role(this, 'AgentsRole', {
      description:
        'Refund Hub agents signed in to the console (identity pool, agents group): the agent routes only',
      assumedBy: new iam.FederatedPrincipal(
        'cognito-identity.amazonaws.com',
        {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': this.identityPool.identityPoolId },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
        },
        'sts:AssumeRoleWithWebIdentity',
      ),
      managedPolicies: [props.agentInvokePolicy],
      maxSessionDuration: Duration.hours(1),
    });

    this.agentsGroup = new cognito.UserPoolGroup(this, 'Agents', {
      userPool: props.userPool,
      groupName: AGENTS_GROUP,
      description:
        'Refund Hub agents: the console, and through the identity pool the agent routes of the API',
      role: this.agentsRole,
      precedence: 0,
    });
  }
}

/**
 * The hosted UI prefix when the operator names none: the stack name and the account id, so two stacks or two
 * accounts never ask for the same (region-wide) prefix.
 */
export function defaultDomainPrefix(scope: IConstruct): string {
  const stackName = Stack.of(scope)
    .stackName.toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  if (!stackName || /aws|amazon|cognito/.test(stackName))
    throw new Error(
      `The stack name "${Stack.of(scope).stackName}" cannot be a Cognito domain prefix: set -c refundHub:cognitoDomainPrefix=<prefix>`,
    );
  return `${stackName}-${Aws.ACCOUNT_ID}`;
}

/** The hosted UI's base URL for a prefix, as UserPoolDomain.baseUrl() builds it (for the pages' CSP). */
export function hostedUiUrl(scope: IConstruct, domainPrefix: string): string {
  return `https://${domainPrefix}.auth.${Stack.of(scope).region}.amazoncognito.com`;
}
