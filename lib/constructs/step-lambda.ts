import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { type PowertoolsSource, powertoolsFromContext, tracingFromContext } from '../config.js';
import { LAZY_PACKAGES } from '../lazy-packages.js';
import { PROJECT_ROOT } from '../paths.js';

/** Template metadata key naming a function's handler source; the embedded runtime binds Tasks with it. */
export const HANDLER_METADATA_KEY = 'RefundHub:Handler';

/**
 * How every Lambda is bundled (esbuild, locally). One place, read by the stack and by `scripts/bundle-sizes.ts`
 * (and the bundle-size test), so the sizes measured are the sizes deployed. The AWS SDK v3 clients are bundled, as
 * AWS's Lambda guidance advises for cold start: minified, from the packages' ES modules (`mainFields: module,main`,
 * so esbuild tree-shakes them), one file instead of the runtime's many (module-load bench: a bundled bare client
 * loads in about 0.9x the runtime's copy; 37 of 37 functions within 1.25x of it, 14 with the runtime's SDK; see
 * docs/cold-start.md). The budget still counts each bundle without the SDK (`SDK_EXTERNAL`). With Powertools from a
 * layer (the default) only the Tracer, with its X-Ray SDK, is left out for the layer: it is the heavy one, and only
 * `refundHub:tracing=sdk` loads it. Logger and metrics, which every handler loads at start, are bundled: one minified
 * file loads faster than the layer's many small ones. Source maps without the sources' text: `--enable-source-maps`
 * parses the map at load, and the text only makes it larger; for the same reason the afterBundling hook cuts each map
 * to the project's own code (`afterBundlingCommand`, lib/own-source-map.ts): node_modules' mappings were about 98%
 * of it, and a frame in a package is read from the bundle's position as well. The Stripe SDK is left out of index.js
 * and bundled beside it by the same hook, loaded on the first Stripe call (`LAZY_PACKAGES`, lib/lazy-packages.ts).
 */
export const POWERTOOLS_FROM_LAYER = ['@aws-lambda-powertools/tracer'] as const;

/** What a bundle leaves out to be measured "without the AWS SDK" (the runtime's copy, as before it was bundled). */
export const SDK_EXTERNAL = ['@aws-sdk/*'] as const;

/**
 * scripts/after-bundling.ts bundled to one plain CommonJS file, once per synth process: the hook then starts a bare
 * `node` per function (about 0.15 s) instead of `node --import tsx` compiling TypeScript again (about 0.4 s, 37 times).
 * esbuild stays outside: it is a native binary, required from the project's node_modules.
 */
let afterBundlingTool: string | undefined;
function afterBundlingScript(): string {
  if (afterBundlingTool) return afterBundlingTool;
  const [bundle] = buildSync({
    entryPoints: [path.join(PROJECT_ROOT, 'scripts', 'after-bundling.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['esbuild'],
    write: false,
    logLevel: 'error',
  }).outputFiles;
  if (!bundle) throw new Error('esbuild wrote no bundle of scripts/after-bundling.ts');
  // Named by its content, written by rename: synths running side by side (the tests) never read a half-written file.
  const hash = createHash('sha256').update(bundle.contents).digest('hex').slice(0, 16);
  const dir = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'refund-hub');
  const file = path.join(dir, `after-bundling-${hash}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, bundle.contents);
    renameSync(partial, file);
  }
  afterBundlingTool = file;
  return file;
}

/** The shell command run on each asset after esbuild: the map cut to our own code, the lazy packages beside index.js. */
export function afterBundlingCommand(outputDir: string): string {
  return `node ${[afterBundlingScript(), PROJECT_ROOT, outputDir].map((arg) => JSON.stringify(arg)).join(' ')}`;
}

const AFTER_BUNDLING_HOOKS: nodejs.ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir, outputDir) => [afterBundlingCommand(outputDir)],
};

export function lambdaBundling(powertools: PowertoolsSource = 'layer') {
  return {
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    target: 'node22',
    format: nodejs.OutputFormat.CJS,
    mainFields: ['module', 'main'],
    externalModules: [...(powertools === 'bundle' ? [] : POWERTOOLS_FROM_LAYER), ...LAZY_PACKAGES],
    forceDockerBundling: false,
    commandHooks: AFTER_BUNDLING_HOOKS,
  } as const satisfies nodejs.BundlingOptions;
}
export const LAMBDA_BUNDLING = lambdaBundling();

/** The installed Powertools version: the public layer of exactly that version runs what the tests ran. */
const POWERTOOLS_VERSION: string = (
  JSON.parse(
    readFileSync(path.join(PROJECT_ROOT, 'node_modules/@aws-lambda-powertools/logger/package.json'), 'utf8'),
  ) as {
    version: string;
  }
).version;

/** One layer reference per stack: AWS's public Powertools layer (its ARN from the public SSM parameter), or the operator's. */
function powertoolsLayer(
  scope: Construct,
  powertools: Exclude<PowertoolsSource, 'bundle'>,
): lambda.ILayerVersion {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('PowertoolsLayer') as lambda.ILayerVersion | undefined;
  if (existing) return existing;
  const arn =
    powertools === 'layer'
      ? ssm.StringParameter.valueForStringParameter(
          stack,
          `/aws/service/powertools/typescript/generic/all/${POWERTOOLS_VERSION}`,
        )
      : powertools;
  return lambda.LayerVersion.fromLayerVersionArn(stack, 'PowertoolsLayer', arn);
}

export interface StepLambdaProps {
  /** Handler source relative to the repository root, e.g. `functions/classify/handler.ts`. */
  readonly entry: string;
  readonly description: string;
  /** @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
}

/**
 * A Lambda function with the project's defaults: Node.js 22 on arm64, bundled by esbuild locally
 * (no Docker), X-Ray tracing, structured logs kept one month, the AWS SDK bundled and Powertools' Tracer from its
 * layer (`refundHub:powertools`).
 */
export class StepLambda extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: StepLambdaProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup = logGroup;
    const powertools = powertoolsFromContext(this.node);
    const bundling = lambdaBundling(powertools);
    const tracing = tracingFromContext(this.node);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: tracing === 'off' ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'refund-hub',
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools' own switch: off, functions/shared/tracer.ts never loads the Tracer or the X-Ray SDK.
        ...(tracing === 'sdk' ? {} : { POWERTOOLS_TRACE_ENABLED: 'false' }),
        ...props.environment,
      },
      bundling: {
        ...bundling,
        mainFields: [...bundling.mainFields],
        externalModules: [...bundling.externalModules],
      },
      // The layer holds the Tracer: only a function that traces its SDK calls loads it.
      ...(powertools === 'bundle' || tracing !== 'sdk'
        ? {}
        : { layers: [powertoolsLayer(this, powertools)] }),
    });
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata(HANDLER_METADATA_KEY, props.entry);
  }
}

/** Faults are retried with backoff and jitter before the Catch routes the case (or return) to a person. */
export function transientRetry(): sfn.RetryProps {
  return {
    errors: [sfn.Errors.ALL],
    interval: Duration.seconds(1),
    backoffRate: 2,
    maxAttempts: 3,
    maxDelay: Duration.seconds(10),
    jitterStrategy: sfn.JitterType.FULL,
  };
}

/** A Lambda Task with the workflows' retry policy (a malformed payload is never retried); its result lands at `resultPath`. */
export function invokeStep(
  scope: Construct,
  name: string,
  step: StepLambda,
  payload: Record<string, unknown>,
  resultPath: string = sfn.JsonPath.DISCARD,
): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, name, {
    lambdaFunction: step.function,
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    resultPath,
    retryOnServiceExceptions: false,
  });
  task.addRetry({ errors: ['InvalidStepInputError'], maxAttempts: 0 });
  task.addRetry(transientRetry());
  return task;
}
