import { describe, expect, it } from 'vitest';
import { detectMarkers } from '../../../functions/classify/markers.js';

describe('humanRequested', () => {
  it.each([
    'Talk to a representative',
    'Call me now',
    'Call Me Now',
    'Request a phone call',
    'can a human help',
    'I want to speak to an agent',
    'can I chat with a live agent?',
    'please have someone call me back',
    'i need a callback',
    'TALK TO A HUMAN',
    'can i talk to a represenative',
    'speak to a humna please',
    'I want a refund and I want to speak to a manager',
    'representative',
  ])('is set for "%s"', (text) => {
    expect(detectMarkers(text).humanRequested).toBe(true);
  });

  it.each([
    'no need to call me',
    "please don't call me, email is fine",
    'I do not need a callback',
    "I don't want to talk to anyone, just refund me",
    'where is my package?',
    'update my phone number',
  ])('is not set for "%s"', (text) => {
    expect(detectMarkers(text).humanRequested).toBe(false);
  });
});

describe('urgent', () => {
  it.each([
    'I need my refund today',
    'this is urgent',
    'URGENT',
    'please fix this asap',
    'someone is using my card right now',
    'I need it by tomorrow',
    'handle this immediatly',
    'the charger is sparking and smells of burning',
  ])('is set for "%s"', (text) => {
    expect(detectMarkers(text).urgent).toBe(true);
  });

  it.each([
    'not urgent, but where is my order?',
    'no rush, cancel my plan',
    'I ordered it today',
    'Call me now',
  ])('is not set for "%s"', (text) => {
    expect(detectMarkers(text).urgent).toBe(false);
  });
});

describe('frustrated', () => {
  it.each([
    'this is ridiculous',
    'this is ridiculus',
    'you people are useless',
    'WHY DID YOU CHARGE ME TWICE',
    'where is my refund!!',
    'third time asking about this',
    'I have asked for a manager twice already',
    'agent. agent. I want a human.',
    'damn it, where is my order',
  ])('is set for "%s"', (text) => {
    expect(detectMarkers(text).frustrated).toBe(true);
  });

  it.each([
    "I'm not angry, I just want to return the jacket",
    'thanks!!',
    'where is my order?',
    'REFUND',
    'my TV and USB charger',
  ])('is not set for "%s"', (text) => {
    expect(detectMarkers(text).frustrated).toBe(false);
  });
});
