import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../functions/classify/domain.js';

/**
 * POLICY.md v2: humanRequested is "the customer asks for a person, a call or live chat"; a request for
 * a person that names no topic is `human_agent`. Asking for the way to reach the company's people
 * (a number, live chat, contact details) is such a request; contacting someone else (the courier) is not.
 */
describe('contact-channel questions', () => {
  it.each([
    'how do I contact you?',
    'how could we get in touch with your customer service',
    'where do I see your contact info',
    'do you have a phone number for support',
    'is live chat open today',
  ])('%s asks for a person and names no topic', (text) => {
    expect(classifyMessage(text)).toMatchObject({ intent: 'human_agent', humanRequested: true });
  });

  it('a topic named with the question keeps its intent and still asks for a person', () => {
    expect(classifyMessage('how do I contact you about a refund for the double charge')).toMatchObject({
      intent: 'billing_refund',
      humanRequested: true,
    });
  });

  it.each([
    'how do I contact the courier about my parcel',
    'how do I change the contact number on my profile',
  ])('%s does not ask for one of our people', (text) => {
    expect(classifyMessage(text).humanRequested).toBe(false);
  });

  it('a call promised in the past is a report; asking for it again is a request', () => {
    expect(classifyMessage('you promised me a refund on the phone last week').humanRequested).toBe(false);
    expect(
      classifyMessage('I was promised a callback and nobody rang, please call me today').humanRequested,
    ).toBe(true);
  });
});
