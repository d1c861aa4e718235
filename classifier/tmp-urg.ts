import { classifyMessage } from '../functions/classify/domain.js';
import { readJsonl, type MarkedExample } from './lib/datasets.js';
const rows = readJsonl<MarkedExample>(process.argv[2]!);
for (const r of rows) { const p = classifyMessage(r.text); if (p.urgent !== r.urgent) console.log(r.urgent ? 'FN' : 'FP', '|', r.text); }
