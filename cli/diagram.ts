/**
 * The state machine as a Mermaid `stateDiagram-v2`, from the synthesized definition: every state,
 * its Next, each Choice branch labelled with its condition in short form (`intent = account_security`),
 * the Default (`otherwise`), Catch edges labelled `error`, and End/Fail to the final state.
 * Mermaid's state diagrams have no dashed transitions, so error edges are told apart by their label.
 */

type Json = Record<string, unknown>;

interface State {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: Json[];
  readonly Catch?: { ErrorEquals?: string[]; Next: string }[];
  readonly Branches?: { StartAt: string; States: Record<string, State> }[];
  readonly Iterator?: { StartAt: string; States: Record<string, State> };
  readonly ItemProcessor?: { StartAt: string; States: Record<string, State> };
}

interface Definition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

const OPERATORS: Record<string, string> = {
  StringEquals: '=',
  NumericEquals: '=',
  TimestampEquals: '=',
  StringGreaterThan: '>',
  NumericGreaterThan: '>',
  TimestampGreaterThan: '>',
  StringGreaterThanEquals: '>=',
  NumericGreaterThanEquals: '>=',
  TimestampGreaterThanEquals: '>=',
  StringLessThan: '<',
  NumericLessThan: '<',
  TimestampLessThan: '<',
  StringLessThanEquals: '<=',
  NumericLessThanEquals: '<=',
  TimestampLessThanEquals: '<=',
  StringMatches: 'matches',
};

/** `$.classification.intent` → `intent`; `$.account.order.total` → `order.total`. */
export function shortPath(path: string): string {
  const parts = path
    .replace(/^\$\$?\.?/, '')
    .split('.')
    .filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? path;
  const [parent, last] = parts.slice(-2) as [string, string];
  return parent === 'classification' ? last : `${parent}.${last}`;
}

/** A Choice rule in short form: `intent = account_security`, `frustrated or urgent`, `confidence < 0.5`. */
export function conditionText(rule: Json): string {
  if (Array.isArray(rule.And)) return (rule.And as Json[]).map(conditionText).join(' and ');
  if (Array.isArray(rule.Or))
    return (rule.Or as Json[])
      .map((r) => {
        const text = conditionText(r);
        return Array.isArray(r.And) ? `(${text})` : text;
      })
      .join(' or ');
  if (rule.Not && typeof rule.Not === 'object') return `not (${conditionText(rule.Not as Json)})`;
  if (typeof rule.Condition === 'string') return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, '');
  const variable = typeof rule.Variable === 'string' ? shortPath(rule.Variable) : '?';
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next') continue;
    if (key === 'BooleanEquals') return value === true ? variable : `not ${variable}`;
    if (key === 'IsPresent') return value === true ? `${variable} present` : `${variable} absent`;
    if (key === 'IsNull') return value === true ? `${variable} is null` : `${variable} not null`;
    if (key.startsWith('Is'))
      return `${variable} ${value === true ? 'is' : 'is not'} ${key.slice(2).toLowerCase()}`;
    if (key.endsWith('Path')) {
      const op = OPERATORS[key.slice(0, -4)] ?? key;
      return `${variable} ${op} ${shortPath(String(value))}`;
    }
    const op = OPERATORS[key];
    if (op) return `${variable} ${op} ${typeof value === 'string' ? value : JSON.stringify(value)}`;
  }
  return '?';
}

/** Mermaid labels end at a newline and read `:` and `;` as syntax. */
const label = (text: string) => text.replace(/[;\n]/g, ',').replace(/"/g, "'").replace(/:/g, '∶');

function errorLabel(errors: readonly string[] | undefined): string {
  const names = (errors ?? ['States.ALL'])
    .filter((e) => e !== 'States.ALL')
    .map((e) => e.replace(/^States\./, ''));
  return names.length === 0 ? 'error' : `error ${names.join(', ')}`;
}

function edges(states: Record<string, State>, startAt: string, indent: string): string[] {
  const lines = [`${indent}[*] --> ${startAt}`];
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Choice') {
      for (const rule of state.Choices ?? []) {
        lines.push(`${indent}${name} --> ${String(rule.Next)} : ${label(conditionText(rule))}`);
      }
      if (state.Default) lines.push(`${indent}${name} --> ${state.Default} : otherwise`);
    } else if (state.Next) {
      lines.push(`${indent}${name} --> ${state.Next}`);
    }
    for (const c of state.Catch ?? [])
      lines.push(`${indent}${name} --> ${c.Next} : ${label(errorLabel(c.ErrorEquals))}`);
    if (state.End || state.Type === 'Succeed' || state.Type === 'Fail')
      lines.push(`${indent}${name} --> [*]`);
  }
  return lines;
}

/** The definition (`loadTopology().definition`) as Mermaid. */
export function mermaidDiagram(definition: Record<string, unknown>): string {
  const def = definition as unknown as Definition;
  const lines = ['stateDiagram-v2'];
  const classes: Record<string, string[]> = { task: [], choice: [], fail: [], wait: [] };
  for (const [name, state] of Object.entries(def.States)) {
    if (state.Type === 'Task') classes.task?.push(name);
    if (state.Type === 'Choice') classes.choice?.push(name);
    if (state.Type === 'Fail') classes.fail?.push(name);
    if (state.Type === 'Wait') classes.wait?.push(name);
    const nested = state.Branches ?? [state.Iterator ?? state.ItemProcessor].filter((b) => b !== undefined);
    if ((state.Type === 'Parallel' || state.Type === 'Map') && nested.length > 0) {
      lines.push(`  state ${name} {`);
      nested.forEach((branch, i) => {
        if (i > 0) lines.push('    --');
        lines.push(...edges(branch.States, branch.StartAt, '    '));
      });
      lines.push('  }');
    }
  }
  lines.push(...edges(def.States, def.StartAt, '  '));
  lines.push(
    '  classDef task fill:#e8f0fe,stroke:#4a6fa5',
    '  classDef choice fill:#fff4d6,stroke:#b08900',
    '  classDef fail fill:#fde2e1,stroke:#c0392b',
    '  classDef wait fill:#eeeeee,stroke:#777777',
  );
  for (const [cls, names] of Object.entries(classes)) {
    if (names.length > 0) lines.push(`  class ${names.join(',')} ${cls}`);
  }
  return `${lines.join('\n')}\n`;
}

export const DIAGRAM_START = '<!-- diagram:start -->';
export const DIAGRAM_END = '<!-- diagram:end -->';

/** The Markdown for docs/diagram.md. */
export function diagramMarkdown(mermaid: string): string {
  return [
    '# The Refund Hub state machine',
    '',
    '<!-- Generated by `npm run diagram` from the synthesized definition; do not edit by hand. -->',
    '',
    'Every state of the synthesized Step Functions definition. Choice branches carry their condition',
    '(first match wins, in order), `otherwise` is the Default, edges labelled `error` are Catch routes,',
    'and `[*]` marks the start and the ends (End or Fail). Tasks are blue, Choices yellow, Fail red.',
    '',
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
  ].join('\n');
}

/** README text with the block between the markers replaced; `undefined` when it has no markers. */
export function replaceBetweenMarkers(readme: string, mermaid: string): string | undefined {
  const start = readme.indexOf(DIAGRAM_START);
  const end = readme.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) return undefined;
  const block = `${DIAGRAM_START}\n\n\`\`\`mermaid\n${mermaid.trimEnd()}\n\`\`\`\n\n`;
  return `${readme.slice(0, start)}${block}${readme.slice(end)}`;
}
