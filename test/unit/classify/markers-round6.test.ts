import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../../functions/classify/domain.js';
import { detectMarkers } from '../../../functions/classify/markers.js';

/**
 * Round 6 of the marker lists (classifier/markers/*.yaml, categories marked "round 6"). Every sentence here is
 * new: none is a line of classifier/data/.
 */
describe('frustrated, round 6: patience run out, sarcasm, repetition', () => {
  it.each([
    'the stroller frame is bent, classy.',
    'sent in march, did it go by snail?',
    'my emails seem to have vanished into thin air',
    'why must I jump through hoops to get eight pounds back',
    'agent agent agent',
    'I have typed my order number three times now',
    'are you even reading my messages',
    'the charger came broken and nothing has happened since I reported it',
    'I have been charged enough, stop it',
    'your faq says nothing useful about returns',
    'it has been TEN days',
    'I am losing the will to live with this refund',
    'you had one job: bring the box',
    'been sent back and forth between departments all week',
    'why do I have to explain this to every single person',
    'two weeks of waiting for a callback. lovely.',
    'no one in your team seems to have a clue',
    'how can a shop be this disorganised',
    'it is not rocket science, refund the charge',
    'I keep being told it will be sorted tomorrow',
    'this whole saga is exhausting',
    'second broken lamp in a month',
    'I expect an apology for this',
  ])('%s is frustrated', (text) => {
    expect(detectMarkers(text).frustrated).toBe(true);
  });

  it.each([
    'I want the double charge back, that is all',
    'my dad is really upset about the parcel, can you check where it is',
    'your invoices end up in my junk folder',
    'anyone there? I have a question about sizes',
    'is someone there? would like to speak to a person',
    'I was annoyed this morning but it is fine now, thanks',
    'sorry if I seem grumpy, long day, where is my parcel',
    'we had a rough week so the return is late, is that ok',
    'the reviews look mixed, is the kettle reliable?',
    'the blanket is insanely warm, do you have it in blue',
    'you have all been so patient with me, thank you',
    // How many times a card was charged is a billing fact (the billing step finds the duplicates), not a tone.
    'you billed me four times this month',
  ])('%s is not frustrated', (text) => {
    expect(detectMarkers(text).frustrated).toBe(false);
  });
});

describe('urgent, round 6', () => {
  it.each([
    'block the order before it ships, it was not me',
    'please ring me today, it is about my account',
    'my son leaves first thing tomorrow and the parcel is not here',
  ])('%s is urgent', (text) => {
    expect(detectMarkers(text).urgent).toBe(true);
  });

  it.each([
    'not in any hurry, when will the blender ship',
    'I am in no rush, just wondering about the refund',
    "there's no hurry, the gift is for next month",
    'could you cancel it before it ships, I ordered by mistake',
  ])('%s is not urgent', (text) => {
    expect(detectMarkers(text).urgent).toBe(false);
  });
});

describe('humanRequested, round 6', () => {
  it.each([
    'real person needed please',
    'I would rather go through it with somebody, it is complicated',
    'can I speak with a returns specialist',
    'could I talk to an employee',
    'I would like to talk to a sales person about ordering for our school',
  ])('%s asks for a person', (text) => {
    expect(detectMarkers(text).humanRequested).toBe(true);
  });
});

describe('intents, round 6 (POLICY.md v2 "the intent names the topic")', () => {
  it.each([
    ['my return was refused after you checked it, why?', 'return_request'],
    ['did my cancellation work? the app still says my plan is active', 'cancellation'],
    ['can I put my box on hold for a month rather than cancel', 'cancellation'],
    ['you charged me again after I cancelled in october, refund it', 'billing_refund'],
    ['are you hiring drivers for the holidays', 'other'],
    ['does the lamp come with a bulb', 'product_question'],
  ] as const)('%s → %s', (text, intent) => {
    expect(classifyMessage(text).intent).toBe(intent);
  });

  // Known weaknesses after round 6 ("posted back" with "refund" read as a billing refund; "two-step login" was not tied
  // to security settings), fixed by round 8's lines (classifier/templates/round8.ts), so they are plain tests now.
  it('a refund for an item "posted back" is return_request', () => {
    expect(
      classifyMessage('the rug I posted back reached you last week, when does the refund for it come').intent,
    ).toBe('return_request');
  });
  it('"two-step login" is account_security', () => {
    expect(classifyMessage('how do I turn on two-step login').intent).toBe('account_security');
  });
});
