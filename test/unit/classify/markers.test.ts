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

describe('long, realistic messages (frustrated, urgent, humanRequested)', () => {
  it.each([
    ['I called you yesterday about my parcel and was told to wait', false, false, false],
    ['your agent told me the refund was already processed', false, false, false],
    ['I spoke to someone last week and they said it shipped', false, false, false],
    ['the delivery person left it at the wrong door', false, false, false],
    ['the courier said he called me but my phone never rang', false, false, false],
    ['someone used my card on your site', false, false, false],
    ['my husband called you on Monday about this', false, false, false],
    ['I phoned the bank and they said to contact you', false, false, false],
    ['call me back please', false, false, true],
    ['could you give me a call on my mobile this evening', false, false, true],
    ["I'd like to speak to a supervisor about this", false, false, true],
    ['can a member of staff ring me', false, false, true],
    ['I need this fixed ASAP', false, true, false],
    ['URGENT: my card was charged again', false, true, false],
    ['need it for a job interview on Thursday, please help', false, true, false],
    ["I'm overdrawn because of this charge and my rent is due", false, true, false],
    ["please sort this quickly, it's time critical", false, true, false],
    ["my trial ends tomorrow, cancel it before I'm charged", false, true, false],
    ["I'm so frustrated with you people", true, false, false],
    ['worst service ever', true, false, false],
    ['smh, charged again', true, false, false],
    ["I've explained this three times now", true, false, false],
    ['nobody ever replies to my emails', true, false, false],
    ["I'm done with this company", true, false, false],
    ['thanks for nothing', true, false, false],
    ["I'm fed up with waiting", true, false, false],
    ['this is shocking service, honestly appalling', true, false, false],
    ["fix it or I'm leaving a terrible review", true, false, false],
    ["I'm fuming, second time this month", true, false, false],
    ['seriously? again?', true, false, false],
    ['you keep ignoring me', true, false, false],
    ['I have been going round in circles with your chat for an hour', true, false, false],
    ["I'm not upset, just want to know where my order is", false, false, false],
    ['no rush, whenever you get a chance', false, false, false],
    ['please cancel effective immediately', false, false, false],
    ["thanks so much!! you're the best", false, false, false],
    ['the speaker is too loud, can I exchange it', false, false, false],
    ['would it be possible for somebody in billing to phone me tomorrow', false, false, true],
    ["I'd prefer to go through this by phone", false, false, true],
    ['can we book a call for Friday afternoon', false, false, true],
    ['I paid by phone last week', false, false, false],
    ['someone called me pretending to be you', false, false, false],
    ["I'd rather not have a call, email is fine", false, false, false],
  ] as const)(
    '"%s" → frustrated %s, urgent %s, humanRequested %s',
    (text, frustrated, urgent, humanRequested) => {
      expect(detectMarkers(text)).toEqual({ frustrated, urgent, humanRequested });
    },
  );
});
