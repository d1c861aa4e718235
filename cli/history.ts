/**
 * Reading an execution: its history (every page), one line per state entered and left with the
 * time since the start, and `follow`, which polls the history and prints only what is new.
 */
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { CaseRecord } from '../functions/shared/case-record.js';
import { CliError } from './errors.js';

/** Every event of the execution, oldest first, following `nextToken` across pages. */
export async function fetchHistory(
  sfn: SFNClient,
  executionArn: string,
  maxResults = 1000,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults,
        includeExecutionData: true,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

const TERMINAL_EVENTS = new Set([
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionAborted',
  'ExecutionTimedOut',
]);

export const isTerminalEvent = (event: HistoryEvent) => TERMINAL_EVENTS.has(event.type ?? '');

export function formatElapsed(ms: number): string {
  return `+${(Math.max(0, ms) / 1000).toFixed(3)}s`;
}

/** The `error`/`cause` of whichever `*EventDetails` a failure event carries. */
function failureOf(event: HistoryEvent): { error?: string; cause?: string } | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
    const details = value as { error?: string; cause?: string };
    if (details.error !== undefined || details.cause !== undefined) return details;
  }
  return undefined;
}

const oneLine = (text: string, max = 160) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** One line for the events a person follows (states entered and left, failures, the end); others are skipped. */
export function describeEvent(event: HistoryEvent, start: Date | undefined): string | undefined {
  const at = formatElapsed(
    event.timestamp && start ? new Date(event.timestamp).getTime() - start.getTime() : 0,
  ).padStart(9);
  const type: string = event.type ?? '';
  if (event.stateEnteredEventDetails) return `${at}  → ${event.stateEnteredEventDetails.name}`;
  if (event.stateExitedEventDetails) return `${at}  ← ${event.stateExitedEventDetails.name}`;
  switch (type) {
    case 'ExecutionStarted':
      return `${at}  ● started`;
    case 'ExecutionSucceeded':
      return `${at}  ■ SUCCEEDED`;
    case 'ExecutionAborted':
      return `${at}  ■ ABORTED`;
    case 'ExecutionTimedOut':
      return `${at}  ■ TIMED_OUT`;
    case 'TaskRetried':
      return `${at}  ↻ retrying`;
  }
  const failure = failureOf(event);
  if (failure && (type.endsWith('Failed') || type.endsWith('TimedOut'))) {
    const what = type === 'ExecutionFailed' ? '■ FAILED' : `✗ ${type}`;
    const cause = failure.cause ? `: ${oneLine(failure.cause)}` : '';
    return `${at}  ${what} ${failure.error ?? ''}${cause}`.trimEnd();
  }
  return undefined;
}

/** The states the execution entered, in order. */
export function pathOf(events: readonly HistoryEvent[]): string[] {
  return events.flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
}

export function startOf(events: readonly HistoryEvent[]): Date | undefined {
  const first = events.find((e) => e.type === 'ExecutionStarted') ?? events[0];
  return first?.timestamp ? new Date(first.timestamp) : undefined;
}

export interface FollowOptions {
  /** Prints one line. */
  readonly print: (line: string) => void;
  /** @default 500 */
  readonly intervalMs?: number;
  /** @default no limit */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Reads the case record, when the CLI can reach the cases table. */
  readonly readCase?: () => Promise<CaseRecord | undefined>;
  /** Keep following through a handoff until an agent resolves it. @default false */
  readonly throughHandoff?: boolean;
  readonly startDate?: Date;
}

export interface FollowResult {
  readonly status: string;
  /** The case waits for an agent (the execution is still running). */
  readonly waitingForAgent: boolean;
  readonly execution: DescribeExecutionCommandOutput;
  readonly events: HistoryEvent[];
  readonly record?: CaseRecord;
}

/** A case with a person: waiting, claimed, or waiting for a second agent's approval. */
const WAITING_FOR_AGENT: ReadonlySet<string> = new Set([
  'awaiting_agent',
  'claimed',
  'awaiting_second_approval',
]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the execution ends (or waits for an agent, unless `throughHandoff`), printing each
 * new event once. Describe first, then history: a terminal status implies a complete history,
 * except for a moment on backends that publish the status first, which gets a few more polls.
 */
export async function follow(
  sfn: SFNClient,
  executionArn: string,
  options: FollowOptions,
): Promise<FollowResult> {
  const sleep = options.sleep ?? defaultSleep;
  const interval = options.intervalMs ?? 500;
  let seen = 0;
  let start = options.startDate;
  let graceLeft = 5;
  let waited = 0;
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    start ??= execution.startDate ? new Date(execution.startDate) : undefined;
    const record = options.readCase ? await options.readCase() : undefined;
    const events = await fetchHistory(sfn, executionArn);
    start ??= startOf(events);
    for (const event of events) {
      const id = event.id ?? 0;
      if (id <= seen) continue;
      seen = id;
      const line = describeEvent(event, start);
      if (line) options.print(line);
    }
    const status = execution.status ?? 'UNKNOWN';
    if (status !== 'RUNNING') {
      if (!events.some(isTerminalEvent) && graceLeft-- > 0) {
        await sleep(Math.min(interval, 100));
        continue;
      }
      return { status, waitingForAgent: false, execution, events, ...(record ? { record } : {}) };
    }
    if (record && WAITING_FOR_AGENT.has(record.status) && !options.throughHandoff) {
      return { status, waitingForAgent: true, execution, events, record };
    }
    if (options.timeoutMs !== undefined && waited >= options.timeoutMs) {
      throw new CliError(
        `Still running after ${Math.round(waited / 1000)}s; see where it is with: refund-hub history ${executionArn}`,
      );
    }
    await sleep(interval);
    waited += interval;
  }
}

/** Minor units as a person reads them, with the currency's own number of decimals. */
export function formatMoney(minor: number, currency: string | null | undefined): string {
  if (!currency) return `${minor} (minor units)`;
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
  } catch {
    // An unknown currency code: show two decimals.
  }
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
}

interface DecisionOutput {
  readonly decision?: {
    outcome?: string;
    reason?: string;
    rule?: number;
    queue?: string;
    priority?: string;
    callbackOffered?: boolean;
  };
  readonly refund?: { refundedChargeIds?: string[]; refundedAmount?: number };
  readonly classification?: { intent?: string };
}

/** The outcome and receipt: from the case record when it can be read, else from the execution's output. */
export function outcomeLines(execution: DescribeExecutionCommandOutput, record?: CaseRecord): string[] {
  const lines: string[] = [];
  if (record?.outcome) {
    lines.push(`outcome: ${record.outcome} (${record.reason ?? 'no reason'}, rule ${record.rule ?? '?'})`);
    if (record.intent) lines.push(`intent: ${record.intent}`);
    if (record.outcome === 'human_handoff')
      lines.push(
        `handoff: ${record.handoffQueue ?? 'general'} queue, priority ${record.priority ?? 'normal'}`,
      );
    if ((record.refundedAmount ?? 0) > 0)
      lines.push(
        `refunded: ${formatMoney(record.refundedAmount ?? 0, record.currency)} (${(record.refundedChargeIds ?? []).join(', ')})`,
      );
    lines.push(`callback offered: ${record.callbackOffered ? 'yes' : 'no'}`);
    if (record.resolution) lines.push(`resolution: ${JSON.stringify(record.resolution)}`);
    if (record.receipt) lines.push(`receipt: ${JSON.stringify(record.receipt)}`);
    lines.push(`case status: ${record.status}`);
    return lines;
  }
  if (execution.output) {
    try {
      const output = JSON.parse(execution.output) as DecisionOutput;
      const d = output.decision;
      if (d?.outcome) {
        lines.push(`outcome: ${d.outcome} (${d.reason ?? 'no reason'}, rule ${d.rule ?? '?'})`);
        if (output.classification?.intent) lines.push(`intent: ${output.classification.intent}`);
        if (d.outcome === 'human_handoff') lines.push(`handoff: ${d.queue ?? 'general'} queue`);
        if ((output.refund?.refundedAmount ?? 0) > 0)
          lines.push(
            `refunded: ${output.refund?.refundedAmount} minor units (${(output.refund?.refundedChargeIds ?? []).join(', ')})`,
          );
        lines.push(`callback offered: ${d.callbackOffered ? 'yes' : 'no'}`);
      }
    } catch {
      // Not JSON: nothing to summarize.
    }
  }
  if (execution.error)
    lines.push(`error: ${execution.error}${execution.cause ? `: ${oneLine(execution.cause)}` : ''}`);
  return lines;
}
