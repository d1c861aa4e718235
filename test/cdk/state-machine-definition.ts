/** Reads the state machine's ASL back out of a synthesized template, for intent-level assertions. */
import type { Template } from 'aws-cdk-lib/assertions';

export interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: ChoiceRule[];
  readonly Retry?: {
    ErrorEquals: string[];
    MaxAttempts?: number;
    BackoffRate?: number;
    IntervalSeconds?: number;
  }[];
  readonly Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  readonly Parameters?: Record<string, unknown>;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly HeartbeatSeconds?: number;
  readonly QueryLanguage?: string;
  readonly Assign?: unknown;
  readonly [key: string]: unknown;
}

export interface ChoiceRule {
  readonly Next?: string;
  readonly Variable?: string;
  readonly And?: ChoiceRule[];
  readonly Or?: ChoiceRule[];
  readonly Not?: ChoiceRule;
  readonly [comparison: string]: unknown;
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly QueryLanguage?: string;
  readonly [key: string]: unknown;
}

/** Tokens (`Ref`, `Fn::GetAtt`) in the `Fn::Join` become a placeholder string, then it is parsed. */
/** The refund workflow's definition, or (`returns`) the returns workflow's: the stack has one of each. */
export function stateMachineDefinition(
  template: Template,
  which: 'refunds' | 'returns' = 'refunds',
): AslDefinition {
  const machines = Object.entries(template.findResources('AWS::StepFunctions::StateMachine'))
    .filter(([logicalId]) => logicalId.startsWith('Returns') === (which === 'returns'))
    .map(([, machine]) => machine);
  if (machines.length !== 1) throw new Error(`expected one ${which} state machine, found ${machines.length}`);
  const definition = machines[0]?.Properties?.DefinitionString as unknown;
  if (typeof definition === 'string') return JSON.parse(definition) as AslDefinition;
  const join = (definition as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(join[0]);
  return JSON.parse(text) as AslDefinition;
}

export function state(definition: AslDefinition, name: string): AslState {
  const found = definition.States[name];
  if (!found) throw new Error(`no state ${name}`);
  return found;
}

/** Every `Variable` / comparison pair in a (possibly nested) choice rule. */
export function comparisons(rule: ChoiceRule): { variable: string; operator: string; value: unknown }[] {
  const nested = [...(rule.And ?? []), ...(rule.Or ?? []), ...(rule.Not ? [rule.Not] : [])];
  const own = rule.Variable
    ? Object.entries(rule)
        .filter(([key]) => !['Variable', 'Next', 'And', 'Or', 'Not'].includes(key))
        .map(([operator, value]) => ({ variable: rule.Variable as string, operator, value }))
    : [];
  return [...own, ...nested.flatMap(comparisons)];
}

/** The states one state can go to next: Next, Default, every choice and every Catch. */
export function successors(s: AslState): string[] {
  return [
    s.Next,
    s.Default,
    ...(s.Choices ?? []).map((c) => c.Next),
    ...(s.Catch ?? []).map((c) => c.Next),
  ].filter((name): name is string => typeof name === 'string');
}

/** Every state reachable from `start` without passing through `avoiding`. */
export function reachableFrom(
  definition: AslDefinition,
  start: string,
  avoiding?: string | readonly string[],
): Set<string> {
  const avoided = new Set(typeof avoiding === 'string' ? [avoiding] : (avoiding ?? []));
  const seen = new Set<string>();
  const queue = [start];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name) || avoided.has(name)) continue;
    seen.add(name);
    queue.push(...successors(state(definition, name)));
  }
  return seen;
}
