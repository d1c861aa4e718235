import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../functions/classify/domain.js';
import { canonical } from '../../../functions/classify/markers.js';

// Round 8 (issue #15): the error classes of 2026-12-d/e, fixed as classes. Every sentence here is new: none is in
// classifier/data/, the marker training lines (classifier/templates/marker-lines.ts) or another test.
const markers = (text: string) => {
  const { frustrated, urgent, humanRequested } = classifyMessage(text);
  return { frustrated, urgent, humanRequested };
};

describe('round 8: frustration', () => {
  it.each([
    'oh splendid, the second replacement is dented as well',
    'do you even test these updates before releasing them?',
    'how hard can it be to print the right name on a mug??',
  ])('reads sarcasm and rhetorical questions in %j', (text) => {
    expect(markers(text).frustrated).toBe(true);
  });

  it.each([
    // a plain "anyone there?" next to a request for a person asks for a person; it is not impatience
    'hello, is anybody there? I would like a person for a delivery question',
    'not angry, only a little confused about the fee on my bill',
    'I used to be so annoyed with the login, the new app fixed it, thanks',
    'my sister is livid about her order but mine arrived fine, how do I leave a review?',
    'a bit disappointed the scarf is thinner than I hoped, can I swap it for the wool one?',
  ])('%j is not frustrated', (text) => {
    expect(markers(text).frustrated).toBe(false);
  });
});

describe('round 8: urgency', () => {
  it.each([
    'my account was hacked overnight, please freeze it',
    'I need a yes or no in the next hour, is the cot in stock?',
    'please look at this as a matter of urgency: there is a payment I never made',
  ])('reads urgency in %j', (text) => {
    expect(markers(text).urgent).toBe(true);
  });

  it.each([
    'no panic, just wondering how long returns take',
    'can three of us stream at once on the family plan?',
    'currently on the basic plan, what does premium add?',
    'the deadline for the voucher was last month, is there a new code?',
    'I switched plans and then switched back within an hour last week, was I charged twice?',
    'please block my old card from my profile, I have a new one',
  ])('%j is not urgent', (text) => {
    expect(markers(text).urgent).toBe(false);
  });

  it('never "corrects" currently to urgently', () => {
    expect(canonical('currently')).toBe('currently');
  });
});

describe('round 8: requests for a person', () => {
  it.each([
    'could I get a quick call about the invoice?',
    'this is my second time asking for a supervisor',
    'any chance of speaking to a real employee today?',
    'would someone from your team telephone me this afternoon',
    'I need to speak with your fraud team about a payment',
  ])('%j asks for a person', (text) => {
    expect(markers(text).humanRequested).toBe(true);
  });

  it.each([
    'the advisor on the phone last week promised me a voucher, where is it?',
    'you said it was cancelled when we spoke, and on the phone you confirmed it, but I was billed',
  ])('%j reports a past call and asks for no one', (text) => {
    expect(markers(text).humanRequested).toBe(false);
  });
});
