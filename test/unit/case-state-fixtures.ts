/** A workflow case state as the state machine passes it to the recording steps. */
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CaseState } from '../../functions/shared/step-events.js';

type Overrides = { [K in keyof CaseState]?: Partial<CaseState[K]> | CaseState[K] };

/** The decision the workflow sets when a failing step hands the case to a person (rule 0). */
export const SYSTEM_ERROR_DECISION: CaseState['decision'] = {
  outcome: 'human_handoff',
  rule: 0,
  reason: 'system_error',
  queue: 'billing',
  priority: 'high',
};

export function caseState(overrides: Overrides = {}): CaseState {
  const base: CaseState = {
    caseId: 'case-1',
    customerId: 'cust-1',
    requestedAt: '2026-03-02T09:00:00.000Z',
    classification: {
      intent: 'billing_refund',
      confidence: 0.91,
      frustrated: false,
      urgent: false,
      humanRequested: false,
    },
    decision: { outcome: 'auto_refunded', rule: 9, reason: 'billing_error', callbackOffered: false },
    facts: {
      billing: {
        refundableTotal: 1499,
        refundableCharges: [{ chargeId: 'ch-1', amount: 1499 }],
        billingErrors: [],
        currency: 'USD',
        noRefundReason: null,
      },
      order: { found: false, orderId: null, total: 0, deliveryProblem: false },
    },
    policy: {
      highValueThresholds: { USD: 50000 },
      confidenceThreshold: 0.5,
      callbackSlaSeconds: 300,
      maxEscalations: 2,
    },
    refund: { refundedChargeIds: ['ch-1'], refundedAmount: 1499, skippedChargeIds: [] },
  };
  return {
    ...base,
    ...overrides,
    classification: { ...base.classification, ...overrides.classification },
    decision: { ...base.decision, ...overrides.decision },
    facts: (overrides.facts as CaseState['facts'] | undefined) ?? base.facts,
    policy: (overrides.policy as CaseState['policy'] | undefined) ?? base.policy,
    refund: overrides.refund === undefined ? base.refund : (overrides.refund as CaseState['refund']),
  } as CaseState;
}

/** The fields an `updateCase` UpdateCommand sets, by attribute name (its `#fN = :fN` pairs). */
export function fieldsSetBy(input: UpdateCommandInput | undefined): Record<string, unknown> {
  if (!input) throw new Error('no UpdateCommand was sent');
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  const fields: Record<string, unknown> = {};
  for (const [placeholder, name] of Object.entries(names)) {
    if (placeholder.startsWith('#f')) fields[name] = values[`:f${placeholder.slice(2)}`];
  }
  return fields;
}

/** The attribute names an `updateCase` UpdateCommand removes. */
export function fieldsRemovedBy(input: UpdateCommandInput | undefined): string[] {
  if (!input) throw new Error('no UpdateCommand was sent');
  const names = input.ExpressionAttributeNames ?? {};
  return Object.entries(names)
    .filter(([placeholder]) => placeholder.startsWith('#r'))
    .map(([, name]) => name);
}
