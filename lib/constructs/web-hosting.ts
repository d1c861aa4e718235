import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';

export interface WebHostingProps {
  /**
   * The origins the pages may call besides their own (CSP `connect-src`): the API, the hosted UI's token
   * endpoint, the Cognito identity endpoint.
   */
  readonly connectOrigins: readonly string[];
  /** Delete both buckets and their objects with the stack (test stacks). @default false: they are retained */
  readonly autoDeleteObjects?: boolean;
}

/**
 * CloudFront Function (viewer request): the console's paths are served agent/index.html, every other path
 * without a file extension the chat's index.html (single-page apps); files (`/assets/x.js`, `/config.json`) as is.
 */
export const SPA_REWRITE_SOURCE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var name = uri.substring(uri.lastIndexOf('/') + 1);
  if (name.indexOf('.') === -1) {
    request.uri = uri === '/agent' || uri.indexOf('/agent/') === 0 ? '/agent/index.html' : '/index.html';
  }
  return request;
}`;

/**
 * Static hosting for the web chat and the agent console: a private bucket that only this distribution can read
 * (origin access control), HTTPS, security headers on every answer, and access logs of both.
 */
export class WebHosting extends Construct {
  public readonly bucket: s3.Bucket;
  /** S3 server access logs (`s3/`) and CloudFront standard logs (`cloudfront/`), kept 90 days. */
  public readonly accessLogs: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly pathRewrite: cloudfront.Function;
  public readonly securityHeaders: cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution domain>`, no trailing slash. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const removal = props.autoDeleteObjects
      ? { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true }
      : { removalPolicy: RemovalPolicy.RETAIN };
    const privateBucket = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      ...removal,
    };

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket,
      // CloudFront standard logging writes its files with an ACL (log-delivery account), so ACLs stay enabled here.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    // Not versioned: every version of the app is a commit, and a deployment uploads it again.
    this.bucket = new s3.Bucket(this, 'Site', {
      ...privateBucket,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 's3/',
    });

    this.pathRewrite = new cloudfront.Function(this, 'PathRewrite', {
      comment: 'Refund Hub web: /agent to agent/index.html, other page paths to index.html',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE_SOURCE),
    });

    this.securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Refund Hub web: HSTS, CSP (self, the API, Cognito), nosniff, no framing, no referrer',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.connectOrigins),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Refund Hub web chat (/) and agent console (/agent)',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        // Plain HTTP gets a redirect and never a page; HSTS then keeps the browser on HTTPS.
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        responseHeadersPolicy: this.securityHeaders,
        functionAssociations: [
          { function: this.pathRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.accessLogs,
      logFilePrefix: 'cloudfront/',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
  }
}

/**
 * Only this site's own scripts, styles and images; requests to itself and to `connectOrigins`; never framed.
 * No inline script or style element is allowed (styles set from script through the DOM are).
 */
export function contentSecurityPolicy(connectOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${connectOrigins.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** `https://<api id>.execute-api.<region>.<suffix>`: the API's origin from its id alone (not its stage, which depends on every route). */
export function executeApiOrigin(api: apigateway.IRestApi): string {
  const stack = Stack.of(api);
  return `https://${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
}

/** The Cognito identity endpoint the console gets agent credentials from. */
export function cognitoIdentityOrigin(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return `https://cognito-identity.${stack.region}.${stack.urlSuffix}`;
}
