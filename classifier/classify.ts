/**
 * `npm run -s classify`: reads JSON lines `{ "text": ... }` on stdin and writes one JSON line per
 * input, `{ intent, confidence, frustrated, urgent, humanRequested }`, with the bundled model.
 * A line that is not valid JSON with a string `text` gets `{ "error": ... }` instead.
 */
import { createInterface } from 'node:readline';
import { classifyMessage } from '../functions/classify/domain.js';

const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
for await (const line of lines) {
  if (line.trim() === '') continue;
  let text: unknown;
  try {
    text = (JSON.parse(line) as { text?: unknown }).text;
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') {
    process.stdout.write(`${JSON.stringify({ error: 'expected a JSON object with a string "text"' })}\n`);
    continue;
  }
  process.stdout.write(`${JSON.stringify(classifyMessage(text))}\n`);
}
