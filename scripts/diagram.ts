/**
 * `npm run diagram`: regenerates docs/diagram.md from the synthesized state machine definition and,
 * when README.md has `<!-- diagram:start -->` / `<!-- diagram:end -->` markers, the block between them.
 */
import '../local/quiet.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { diagramMarkdown, mermaidDiagram, replaceBetweenMarkers } from '../cli/diagram.js';
import { PROJECT_ROOT } from '../lib/paths.js';
import { loadTopology } from '../local/template.js';

const mermaid = mermaidDiagram(loadTopology().definition);
const docPath = path.join(PROJECT_ROOT, 'docs', 'diagram.md');
writeFileSync(docPath, diagramMarkdown(mermaid));
process.stdout.write(`wrote ${path.relative(PROJECT_ROOT, docPath)}\n`);

const readmePath = path.join(PROJECT_ROOT, 'README.md');
if (existsSync(readmePath)) {
  const readme = readFileSync(readmePath, 'utf8');
  const updated = replaceBetweenMarkers(readme, mermaid);
  if (updated === undefined) process.stdout.write('README.md has no diagram markers: left as it is\n');
  else if (updated !== readme) {
    writeFileSync(readmePath, updated);
    process.stdout.write('updated the diagram in README.md\n');
  } else process.stdout.write('README.md diagram already up to date\n');
}
