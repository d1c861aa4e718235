import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, Duration } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { WebConfig } from '../../web/src/aws/contract.js';

/** Stands in for the app when web/dist was not built: says how to build and deploy it. */
export const PLACEHOLDER_DIRECTORY = fileURLToPath(new URL('./web-placeholder', import.meta.url));

export interface WebContentProps {
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  /** Vite's output: index.html (the chat), agent/index.html (the console), assets/ (content-hashed files). */
  readonly distDirectory: string;
  /** What the pages read from `/config.json` at start (web/src/aws/contract.ts). */
  readonly config: WebConfig;
}

/**
 * The built web app and its `config.json`, uploaded on every deploy. Hashed assets first and cached for a year
 * (old ones are kept for pages still open); then the pages and the config, revalidated on every load, replacing
 * the previous ones, and the distribution's cache invalidated.
 */
export class WebContent extends Construct {
  public readonly bucket: s3.IBucket;
  public readonly assets: s3deploy.BucketDeployment;
  public readonly pages: s3deploy.BucketDeployment;
  /** False when web/dist had no index.html and the placeholder page was deployed instead (a synth warning says so). */
  public readonly built: boolean;

  constructor(scope: Construct, id: string, props: WebContentProps) {
    super(scope, id);
    this.bucket = props.bucket;
    this.built = existsSync(join(props.distDirectory, 'index.html'));
    if (!this.built) {
      Annotations.of(this).addWarningV2(
        'refund-hub:web-not-built',
        `${props.distDirectory} has no index.html: a placeholder page is deployed instead of the web app. ` +
          'Run `npm run build:web` (npm ci runs it) and deploy again.',
      );
    }
    const app = s3deploy.Source.asset(this.built ? props.distDirectory : PLACEHOLDER_DIRECTORY);

    this.assets = new s3deploy.BucketDeployment(this, 'Assets', {
      sources: [app],
      destinationBucket: props.bucket,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.days(365)),
        s3deploy.CacheControl.immutable(),
      ],
    });
    this.pages = new s3deploy.BucketDeployment(this, 'Pages', {
      sources: [app, s3deploy.Source.jsonData('config.json', props.config)],
      destinationBucket: props.bucket,
      // Excluded files are neither uploaded nor pruned by this deployment: the assets belong to the other one.
      exclude: ['assets/*'],
      prune: true,
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: props.distribution,
      distributionPaths: ['/*'],
    });
    // A page must never name an asset that is not uploaded yet.
    this.pages.node.addDependency(this.assets);
  }
}
