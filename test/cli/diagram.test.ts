import { beforeAll, describe, expect, it } from 'vitest';
import {
  conditionText,
  DIAGRAM_END,
  DIAGRAM_START,
  diagramMarkdown,
  mermaidDiagram,
  replaceBetweenMarkers,
} from '../../cli/diagram.js';
import { loadTopology } from '../../local/template.js';

let definition: { StartAt: string; States: Record<string, { Type: string }> };
let mermaid: string;

beforeAll(() => {
  definition = loadTopology().definition as typeof definition;
  mermaid = mermaidDiagram(definition);
}, 60_000);

describe('diagram', () => {
  it('is a stateDiagram-v2 naming every state of the synthesized definition', () => {
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    const names = Object.keys(definition.States);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) expect(mermaid).toMatch(new RegExp(`\\b${name}\\b`));
    expect(mermaid).toContain(`[*] --> ${definition.StartAt}`);
  });

  it('labels Choice branches with their condition, the Default, Catch edges and the ends', () => {
    expect(mermaid).toContain(
      'ApplyDecisionPolicy --> Rule1HandoffAccountSecurity : intent = account_security',
    );
    expect(mermaid).toContain('ApplyDecisionPolicy --> Rule12SelfService : otherwise');
    expect(mermaid).toContain('ClassifyMessage --> HandoffSystemError : error');
    expect(mermaid).toContain(
      'RequestHumanCallback --> CanEscalateCallback : error Timeout, HeartbeatTimeout',
    );
    expect(mermaid).toContain('CaseNeedsAttention --> [*]');
    expect(mermaid).toContain('RecordOutcome --> [*]');
  });

  it('writes conditions in short form', () => {
    expect(conditionText({ Variable: '$.classification.intent', StringEquals: 'billing_refund' })).toBe(
      'intent = billing_refund',
    );
    expect(
      conditionText({
        Or: [
          { Variable: '$.classification.frustrated', BooleanEquals: true },
          { Variable: '$.classification.urgent', BooleanEquals: true },
        ],
      }),
    ).toBe('frustrated or urgent');
    expect(conditionText({ Not: { Variable: '$.billing.refundableTotal', NumericGreaterThan: 50000 } })).toBe(
      'not (billing.refundableTotal > 50000)',
    );
    expect(conditionText({ Variable: '$.request.followUp', IsPresent: true })).toBe(
      'request.followUp present',
    );
  });

  it('replaces only the text between the README markers', () => {
    const readme = `# Title\n\nintro\n\n${DIAGRAM_START}\nold\n${DIAGRAM_END}\n\nmore\n`;
    const updated = replaceBetweenMarkers(readme, 'stateDiagram-v2\n  [*] --> A\n');
    expect(updated).toBe(
      `# Title\n\nintro\n\n${DIAGRAM_START}\n\n\`\`\`mermaid\nstateDiagram-v2\n  [*] --> A\n\`\`\`\n\n${DIAGRAM_END}\n\nmore\n`,
    );
    expect(replaceBetweenMarkers(updated as string, 'stateDiagram-v2\n  [*] --> A\n')).toBe(updated);
    expect(replaceBetweenMarkers('# no markers\n', 'x')).toBeUndefined();
    expect(diagramMarkdown(mermaid)).toContain('```mermaid\nstateDiagram-v2');
  });
});
