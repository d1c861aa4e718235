import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../functions/classify/domain.js';
import { withoutPersonRequests } from '../../../functions/classify/markers.js';
import type { Intent } from '../../../functions/shared/types.js';

/** POLICY.md v2 Intents: "the intent names the topic"; a request for a person adds humanRequested. */
const TOPIC_AND_PERSON: [string, Intent][] = [
  ['my account got hacked, put me through to someone on the phone', 'account_security'],
  ['somebody changed my login email overnight. I need a human to ring me', 'account_security'],
  ['hacked. call me', 'account_security'],
  ['get me a manager. you took money again after I closed the membership', 'billing_refund'],
  ['can a real person look at why I paid twice for one order', 'billing_refund'],
  ['i need an agent, the courier says delivered but theres nothing at my door', 'order_tracking'],
  ['connect me with a rep, the blender arrived cracked and I want to send it back', 'return_request'],
  ['i want to end my plan before it renews, could someone phone me', 'cancellation'],
];

const PERSON_ONLY = [
  'let me speak to a person please',
  'agent',
  'transfer me to a human',
  'can someone call me back',
  'operator please, I have a question',
];

describe('the intent names the topic (POLICY.md v2)', () => {
  it.each(TOPIC_AND_PERSON)('%s → %s with humanRequested', (text, intent) => {
    const c = classifyMessage(text);
    expect(c.intent).toBe(intent);
    expect(c.humanRequested).toBe(true);
    expect(c.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it.each(PERSON_ONLY)('%s → human_agent: no topic is named', (text) => {
    const c = classifyMessage(text);
    expect(c.intent).toBe('human_agent');
    expect(c.humanRequested).toBe(true);
  });

  it('takes out only the request for a person, not the topic', () => {
    expect(withoutPersonRequests('My account got HACKED, put me through to someone on the phone')).toBe(
      'my account got hacked',
    );
    expect(withoutPersonRequests('talk to a human')).toBe('');
  });
});

describe('alternatives for the account step', () => {
  const messages = [
    ...TOPIC_AND_PERSON.map(([t]) => t),
    ...PERSON_ONLY,
    'refund pls',
    'parcel??',
    'where is my order',
  ];

  it.each(messages)('%s: top 3, best first, the first is the intent', (text) => {
    const c = classifyMessage(text);
    const alternatives = c.alternatives ?? [];
    expect(alternatives).toHaveLength(3);
    expect(alternatives[0]).toEqual({ intent: c.intent, confidence: c.confidence });
    expect(new Set(alternatives.map((a) => a.intent)).size).toBe(3);
    for (let i = 1; i < alternatives.length; i += 1) {
      expect((alternatives[i] as { confidence: number }).confidence).toBeLessThanOrEqual(
        (alternatives[i - 1] as { confidence: number }).confidence,
      );
    }
  });

  it('names the runner-up of a message between two topics', () => {
    const c = classifyMessage('cancel my subscription and give me back the money for this month');
    expect(
      c.alternatives
        ?.map((a) => a.intent)
        .slice(0, 2)
        .sort(),
    ).toEqual(['billing_refund', 'cancellation']);
  });

  it('says nothing is known about gibberish: one alternative, other at 0', () => {
    expect(classifyMessage('').alternatives).toEqual([{ intent: 'other', confidence: 0 }]);
  });
});
