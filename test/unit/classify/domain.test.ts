import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../functions/classify/domain.js';
import type { Intent } from '../../../functions/shared/types.js';

const CONFIDENT = 0.5;

const EXAMPLES: Record<Intent, string[]> = {
  billing_refund: [
    'Subscription refund',
    'I cancelled Prime, please refund my last payment',
    'You renewed my business plan after I cancelled it. Refund please.',
    'you billed me twice for the same month',
    'REFUND MY DOUBLE CHARGE',
    'i was chargd twice for my subscribtion',
  ],
  order_tracking: [
    'where is my package?',
    'Tracking says my laptop was delivered but it never arrived',
    'WHERE IS MY PACKAGE',
    'wheres my parcle',
    'my order still hasnt come',
  ],
  return_request: [
    "I want to return the shoes I bought, they don't fit",
    'how do i send back a jacket that is too big',
    'RETURN LABEL',
  ],
  account_security: [
    'Someone logged into my account and changed my email address',
    'I got a phishing email pretending to be from you',
    'a scam caller said he was from your company',
    'there is a charge on my card I do not recognise',
    'my account was hackd',
  ],
  human_agent: [
    'Talk to a representative',
    'Call Me Now',
    'Request a phone call',
    'can a human help',
    'I want to speak to an agent',
  ],
  cancellation: ['cancel my subscription', 'please cancel my order before it ships', 'CANCEL MY MEMBERSHIP'],
  product_question: ['does the laptop have a usb-c port', 'is this jacket waterproof'],
  other: ['I forgot my password', 'how do I reset my passcode', 'change my shipping address'],
};

describe('classifyMessage', () => {
  for (const [intent, texts] of Object.entries(EXAMPLES)) {
    it.each(texts)(`classifies "%s" as ${intent} with confidence`, (text) => {
      const result = classifyMessage(text);
      expect(result.intent).toBe(intent);
      expect(result.confidence).toBeGreaterThanOrEqual(CONFIDENT);
    });
  }

  it('treats unrecognised charges as account_security, not billing_refund', () => {
    expect(classifyMessage('I see a $79 payment I never made').intent).toBe('account_security');
  });

  it.each(['', '   ', 'asdkjh qwpoe zxmvn', 'lkjhg fdsa poiu', '123456', '!!!'])(
    'gives low confidence to gibberish or empty text: "%s"',
    (text) => {
      expect(classifyMessage(text).confidence).toBeLessThan(CONFIDENT);
    },
  );

  it('returns exactly the five fields of a Classification, confidence in 0..1', () => {
    const result = classifyMessage('Tracking says delivered, nothing here. Call me now!');
    expect(Object.keys(result).sort()).toEqual([
      'confidence',
      'frustrated',
      'humanRequested',
      'intent',
      'urgent',
    ]);
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it('reports a request for a person alongside another intent', () => {
    const result = classifyMessage(
      'I was charged after I cancelled my plan, I want a refund. Can someone call me?',
    );
    expect(result.intent).toBe('billing_refund');
    expect(result.humanRequested).toBe(true);
  });

  it('is deterministic for the same text', () => {
    const text = 'my parcel is late and I am fed up';
    expect(classifyMessage(text)).toEqual(classifyMessage(text));
  });
});
