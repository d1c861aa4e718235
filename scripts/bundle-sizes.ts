/**
 * `npm run bundle-sizes`: bundles every Lambda of the stack as `cdk synth` does and prints, per function, the
 * deployed index.js (raw and gzipped, the AWS SDK inside), the same without the AWS SDK, the classifier's model share,
 * the budget (counted without the SDK), the three largest packages, and the lazy packages shipped beside it.
 */
import { BUNDLE_BUDGET_BYTES, bundleSizes } from './lib/lambda-bundles.js';

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

const sizes = await bundleSizes();
const lines = [
  '| function entry | index.js (AWS SDK inside) | gzip | without the AWS SDK | model | counted vs budget | largest parts | beside it, loaded on first use |',
  '|---|---:|---:|---:|---:|---|---|---|',
  ...sizes.map((s) => {
    const code = s.budgetBytes;
    const top = s.byPackage
      .slice(0, 3)
      .map((p) => `${p.name} ${kb(p.bytes)}`)
      .join(', ');
    const lazy = s.lazy.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ');
    const verdict = code <= BUNDLE_BUDGET_BYTES ? 'within' : '**over**';
    const apart = s.modelBytes ? kb(s.modelBytes) : '';
    return `| ${s.entry} | ${kb(s.bytes)} | ${kb(s.gzipBytes)} | ${kb(s.bytesWithoutSdk)} | ${apart} | ${kb(code)} (${verdict} ${kb(BUNDLE_BUDGET_BYTES)}) | ${top} | ${lazy} |`;
  }),
];
const over = sizes.filter((s) => s.budgetBytes > BUNDLE_BUDGET_BYTES).length;
lines.push('', `${sizes.length} functions, ${over} over the budget (the model aside).`);
process.stdout.write(`${lines.join('\n')}\n`);
