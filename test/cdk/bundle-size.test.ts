/**
 * Each Lambda's deployed index.js stays under the cold-start budget (150 KB; the classifier's model counted apart; the
 * Stripe SDK ships beside it, loaded on first use), bundled as `cdk synth` bundles it: the same options (LAMBDA_BUNDLING), and checked against a
 * real NodejsFunction bundle of one function so the measurement cannot drift from what CDK ships.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POWERTOOLS_FROM_LAYER, StepLambda } from '../../lib/constructs/step-lambda.js';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { startStripeEmulator, stripeClientFor } from '../../local/stripe-emulator/index.js';
import {
  BUNDLE_BUDGET_BYTES,
  type BundleSize,
  bundleSize,
  bundleSizes,
  KNOWN_OVER,
  lambdaEntries,
} from '../../scripts/lib/lambda-bundles.js';

let sizes: BundleSize[];
const outdirs: string[] = [];

beforeAll(async () => {
  sizes = await bundleSizes();
}, 120_000);
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe('Lambda bundle sizes', () => {
  it('measures every function of the stack', () => {
    expect(sizes.length).toBeGreaterThanOrEqual(30);
    expect(sizes.map((s) => s.entry)).toContain('functions/classify/handler.ts');
    expect(new Set(sizes.map((s) => s.entry)).size).toBe(sizes.length);
  });

  it('keeps every bundle under 150 KB, the classifier model aside', () => {
    const over = sizes
      .filter((s) => !(s.entry in KNOWN_OVER) && s.budgetBytes > BUNDLE_BUDGET_BYTES)
      .map((s) => `${s.entry}: ${s.budgetBytes} bytes`);
    expect(over).toEqual([]);
  });

  it('lists as known-over only functions that still are over (the list only shrinks)', () => {
    const fixed = sizes.filter((s) => s.entry in KNOWN_OVER && s.budgetBytes <= BUNDLE_BUDGET_BYTES);
    expect(fixed.map((s) => s.entry)).toEqual([]);
    for (const entry of Object.keys(KNOWN_OVER)) expect(lambdaEntries()).toContain(entry);
  });

  it('validates with zod/mini, never classic zod (about 70 KB more and four times the load)', () => {
    const classic = sizes.filter((s) => s.code.includes('"ZodString"')).map((s) => s.entry); // classic's constructor name
    expect(classic).toEqual([]);
    expect(sizes.filter((s) => s.code.includes('"ZodMiniString"')).length).toBeGreaterThanOrEqual(25);
    for (const s of sizes) expect(s.byPackage.find((p) => p.name === 'zod')?.bytes ?? 0).toBeLessThan(45_000);
  });

  it('carries no zod locale but English', () => {
    for (const s of sizes) {
      expect(s.code).not.toContain('Ungültige Eingabe'); // zod's German locale: the locales are not bundled
    }
  });

  it('loads only the AWS SDK clients a function calls (cold start): a step without one requires none', () => {
    const compareBilling = sizes.find((s) => s.entry === 'functions/compare-billing/handler.ts');
    expect(compareBilling?.byPackage.some((p) => p.name.startsWith('@aws-sdk/'))).toBe(false);
    const getCase = sizes.find((s) => s.entry === 'functions/get-case/handler.ts');
    expect(getCase?.byPackage.some((p) => p.name === '@aws-sdk/client-sfn')).toBe(false);
    // Deployed, the SDK is inside: none from the runtime (the one `[require("@aws-sdk/…")]` left is in an error message).
    expect(getCase?.code).not.toMatch(/(?<!\[)require\("@aws-sdk\//);
    // The bundle without the SDK names each client it requires; the deployed one bundles exactly those.
    const sdk = (entry: string) => sizes.find((s) => s.entry === entry)?.sdkImports;
    expect(sdk('functions/compare-billing/handler.ts')).toEqual([]);
    expect(sdk('functions/get-case/handler.ts')).toEqual([
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/lib-dynamodb',
    ]);
    expect(sdk('functions/classify/handler.ts')).toEqual(['@aws-sdk/client-bedrock-runtime']);
  });

  it('counts the classifier model apart, and only for the classifier', () => {
    const classify = sizes.find((s) => s.entry === 'functions/classify/handler.ts');
    expect(classify?.modelBytes).toBeGreaterThan(100_000);
    expect(sizes.filter((s) => s.modelBytes > 0).map((s) => s.entry)).toEqual([
      'functions/classify/handler.ts',
    ]);
  });

  it('measures the bytes CDK ships: a NodejsFunction bundle of the same entry is identical', async () => {
    const entry = 'functions/compare-billing/handler.ts';
    const outdir = mkdtempSync(path.join(tmpdir(), 'refund-hub-bundle-'));
    outdirs.push(outdir);
    const app = new App({ outdir });
    new StepLambda(new Stack(app, 'BundleProbe'), 'Probe', { entry, description: 'bundle size probe' });
    app.synth();
    const asset = readdirSync(outdir).find((d) => d.startsWith('asset.'));
    if (!asset) throw new Error('CDK bundled no asset');
    const shipped = readFileSync(path.join(outdir, asset, 'index.js'), 'utf8');
    const measured = await bundleSize(entry);
    expect(measured.code).toBe(shipped);
    // The afterBundling hook cut the shipped map to our own code, as the measured one.
    // Sources are relative to the map's folder: compared as absolute paths.
    const absolute = (text: string, dir: string) => {
      const map = JSON.parse(text) as { sources: string[] };
      return { ...map, sources: map.sources.map((s) => path.resolve(dir, s)) };
    };
    const shippedMap = absolute(
      readFileSync(path.join(outdir, asset, 'index.js.map'), 'utf8'),
      path.join(outdir, asset),
    );
    expect(shippedMap).toEqual(absolute(measured.map, path.join(PROJECT_ROOT, 'cdk.out', 'bundle-sizes')));
    expect(shippedMap.sources.some((s) => s.includes('node_modules/'))).toBe(false);
  }, 120_000);
});

describe('the Stripe SDK beside index.js, loaded on first use (lib/lazy-packages.ts)', () => {
  const STRIPE_FUNCTIONS = [
    'functions/book-credit/handler.ts',
    'functions/issue-refund/handler.ts',
    'functions/reconcile/handler.ts',
    'functions/returns-refund/handler.ts',
    'functions/stripe-webhook/handler.ts',
  ];

  it('keeps it out of index.js in the five functions that call Stripe, and out of every other asset', () => {
    for (const s of sizes) {
      expect(s.byPackage.some((p) => p.name === 'stripe')).toBe(false);
      expect(s.lazy.map((p) => p.name)).toEqual(STRIPE_FUNCTIONS.includes(s.entry) ? ['stripe'] : []);
    }
    const webhook = sizes.find((s) => s.entry === 'functions/stripe-webhook/handler.ts');
    expect(webhook?.lazy[0]?.bytes).toBeGreaterThan(200_000);
  });

  it('ships it in the asset CDK builds, where the bundle\'s import("stripe") finds it and talks to Stripe', async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'refund-hub-lazy-'));
    outdirs.push(outdir);
    const app = new App({ outdir });
    const entry = 'functions/stripe-webhook/handler.ts';
    new StepLambda(new Stack(app, 'LazyProbe'), 'Probe', { entry, description: 'lazy package probe' });
    app.synth();
    const asset = readdirSync(outdir).find((d) => d.startsWith('asset.'));
    if (!asset) throw new Error('CDK bundled no asset');
    const dir = path.join(outdir, asset);
    expect(readFileSync(path.join(dir, 'index.js'), 'utf8')).toContain('import("stripe")');
    // From the asset alone (under the temp folder, no project node_modules on the way up), as Lambda runs it: the
    // lazily loaded SDK creates a customer in the Stripe emulator.
    const emulator = await startStripeEmulator();
    try {
      const script = `import("stripe").then(async ({ default: Stripe }) => {
        const client = new Stripe(${JSON.stringify(emulator.apiKey)}, { host: "${emulator.host}", port: ${emulator.port}, protocol: "http" });
        const customer = await client.customers.create({ email: "lazy@example.com" });
        process.stdout.write(JSON.stringify([require.resolve("stripe"), customer.id]));
      });`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
        cwd: dir,
        encoding: 'utf8',
      });
      const [resolved, customerId] = JSON.parse(stdout) as [string, string];
      expect(resolved).toBe(path.join(dir, 'node_modules', 'stripe', 'index.js'));
      const stored = await stripeClientFor(emulator).customers.retrieve(customerId);
      expect((stored as { email?: string }).email).toBe('lazy@example.com');
    } finally {
      await emulator.stop();
    }
  }, 120_000);
});

describe('Powertools from its layer (refundHub:powertools)', () => {
  const synthProbe = (context: Record<string, string>) => {
    const app = new App({ context });
    const stack = new Stack(app, 'PowertoolsProbe');
    new StepLambda(stack, 'Probe', {
      entry: 'functions/get-case/handler.ts',
      description: 'powertools probe',
    });
    return Template.fromStack(stack);
  };
  const installed = (
    JSON.parse(
      readFileSync(
        path.join(PROJECT_ROOT, 'node_modules/@aws-lambda-powertools/logger/package.json'),
        'utf8',
      ),
    ) as {
      version: string;
    }
  ).version;

  it("by default attaches AWS's public layer of the installed version for the Tracer, left out of every bundle", () => {
    const template = synthProbe({});
    const parameter = Object.values(template.toJSON().Parameters ?? {}).find((p) =>
      String((p as { Default?: string }).Default).startsWith('/aws/service/powertools/typescript/'),
    ) as { Default: string } | undefined;
    expect(parameter?.Default).toBe(`/aws/service/powertools/typescript/generic/all/${installed}`);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Layers?: unknown[] };
    };
    expect(fn.Properties.Layers).toHaveLength(1);
    const fromLayer: readonly string[] = POWERTOOLS_FROM_LAYER;
    expect(
      sizes.filter((s) => s.byPackage.some((p) => fromLayer.includes(p.name))).map((s) => s.entry),
    ).toEqual([]);
  });

  it('bundles Powertools and attaches no layer with powertools=bundle (LocalStack Community)', () => {
    const fn = Object.values(
      synthProbe({ 'refundHub:powertools': 'bundle' }).findResources('AWS::Lambda::Function'),
    )[0] as {
      Properties: { Layers?: unknown[] };
    };
    expect(fn.Properties.Layers).toBeUndefined();
  });

  it("uses an operator's own layer ARN, and refuses anything else with the key's name", () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:layer:MyPowertools:7';
    const fn = Object.values(
      synthProbe({ 'refundHub:powertools': arn }).findResources('AWS::Lambda::Function'),
    )[0] as {
      Properties: { Layers?: unknown[] };
    };
    expect(fn.Properties.Layers).toEqual([arn]);
    expect(() => synthProbe({ 'refundHub:powertools': 'yes please' })).toThrow(/refundHub:powertools/);
  });
});

describe('X-Ray for the Lambdas (refundHub:tracing)', () => {
  const probeFunction = (context: Record<string, string>) => {
    const app = new App({ context });
    const stack = new Stack(app, 'TracingProbe');
    new StepLambda(stack, 'Probe', { entry: 'functions/get-case/handler.ts', description: 'tracing probe' });
    return Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))[0] as {
      Properties: {
        TracingConfig?: { Mode: string };
        Environment: { Variables: Record<string, string> };
        Layers?: unknown[];
      };
    };
  };

  it('by default traces each invocation and, through Powertools Tracer, each SDK call', () => {
    const fn = probeFunction({});
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBeUndefined();
  });

  it('with tracing=lambda keeps active tracing but switches Powertools Tracer off, so neither its layer nor the X-Ray SDK is loaded', () => {
    const fn = probeFunction({ 'refundHub:tracing': 'lambda' });
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    expect(fn.Properties.Layers).toBeUndefined();
  });

  it('with tracing=off traces nothing, and refuses any other value with the key name', () => {
    const fn = probeFunction({ 'refundHub:tracing': 'off' });
    expect(fn.Properties.TracingConfig?.Mode ?? 'PassThrough').toBe('PassThrough');
    expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    expect(() => probeFunction({ 'refundHub:tracing': 'yes' })).toThrow(
      /refundHub:tracing: must be sdk, lambda or off/,
    );
  });
});
