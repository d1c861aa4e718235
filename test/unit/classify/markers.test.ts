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

describe('frustration without the classic anger words', () => {
  it.each([
    'I am losing my patience with you people. Where is my package',
    'why the hell was i charged again after cancelling',
    'what the heck, another charge on my card',
    'wth is going on with my order',
    'this is bs, I cancelled last month',
    'for the last time, I do not want this subscription',
    'this is the 5th email I send about the same thing',
    'you keep saying it will ship tomorrow',
    'I have been trying to get a refund for three weeks',
    'been on hold for 40 minutes',
    'what a scam, charging people after they cancel',
    'your company is a joke',
    'this is beyond a joke now',
    "I'll be filing a chargeback with my bank",
    'my lawyer will hear about this',
    "I'm reporting you to the BBB",
    'oh great, another automated reply',
    'brilliant service, thanks a lot. still no parcel',
    'Thanks for billing me twice, really appreciate it. Not.',
    'you charged me AGAIN',
    'how hard is it to deliver a parcel on time',
    'I am at the end of my rope with this order',
    'does anyone actually work there?',
    'ugh, why is everything so complicated',
    'I ordered 6 weeks ago and still nothing',
    'u ppl r useless',
  ])('is set for "%s"', (text) => {
    expect(detectMarkers(text).frustrated).toBe(true);
  });

  it.each([
    'thanks again for the quick refund!',
    'I was charged again after cancelling, could you refund it please?',
    "it's a hell of a good product, where can I buy a second charger",
    'Damn, that was fast! Already got the refund, thanks',
    'I got a scam call from someone claiming to be you',
    'is this email a scam?',
    'Great service, the parcel came early',
    "I'll leave a great review!",
    'the parcel was lying on the porch, all good',
    'where is my order??',
    'I want a human. Can an agent call me?',
    "I'm not furious, just confused about the bill",
    'no hard feelings, mistakes happen. please refund the extra charge',
    'the email said "URGENT: YOUR ACCOUNT IS LOCKED" and had a link, is it from you?',
  ])('is not set for "%s"', (text) => {
    expect(detectMarkers(text).frustrated).toBe(false);
  });
});

describe('urgency beyond "urgent" and "asap"', () => {
  it.each([
    'I need it by tmrw',
    'this is time-sensitive',
    'need a refund, rent is due friday',
    "the double charge put me in the minus and I can't pay my bills",
    'my card is maxed out because of your charge',
    'my flight is tomorrow and the adapter has not arrived',
    'the wedding is this Saturday and the dress still says processing',
    "I'm leaving for a trip on Thursday, will it arrive before then?",
    'it is a birthday present for tomorrow',
    'the charger caught fire',
    'there is smoke coming out of the heater',
    'the battery is swollen and hot to the touch',
    'my mums insulin has not arrived and she runs out on sunday',
    'my account is being used as we speak',
    'please call me back, this cannot wait',
    'please sort the refund quickly, I have nothing left for food',
    'the renewal is tonight at midnight, cancel it please',
  ])('is set for "%s"', (text) => {
    expect(detectMarkers(text).urgent).toBe(true);
  });

  it.each([
    'today I received the parcel, but the box is dented',
    'I ordered it yesterday, when will it ship?',
    'does the smoke alarm come with batteries?',
    'do you still sell the Fire TV stick cover?',
    'my old kettle caused a small fire years ago, does this one switch off by itself?',
    'I ordered it on Monday for my birthday in June',
    'the email said URGENT action required, is it really from you?',
    'I got a text saying my account will be closed today unless I log in. Phishing?',
    'call me when convenient',
    "I can't wait to try it",
    'how quickly do you ship to Spain?',
    'quick question about sizes',
    'no hurry at all, whenever you get a moment',
    'is the medicine cabinet available in white?',
    'how long does the battery last? I need it for a camping trip next month',
  ])('is not set for "%s"', (text) => {
    expect(detectMarkers(text).urgent).toBe(false);
  });
});

describe('humanRequested, more ways to ask', () => {
  it.each([
    'is there an actual human who can help?',
    'what is your phone number',
    'give me a phone number',
    "it's easier to explain by voice",
    'call me when convenient',
    'talk to sombody pls',
  ])('is set for "%s"', (text) => {
    expect(detectMarkers(text).humanRequested).toBe(true);
  });

  it.each(['I changed my phone number', 'is there a way to track it?', 'the voice assistant does not work'])(
    'is not set for "%s"',
    (text) => {
      expect(detectMarkers(text).humanRequested).toBe(false);
    },
  );
});

describe('short chat messages (marker round 2)', () => {
  const flags = (text: string) => {
    const m = detectMarkers(text);
    return { frustrated: m.frustrated, urgent: m.urgent, humanRequested: m.humanRequested };
  };

  it.each([
    'cmon',
    "c'mon guys, two weeks now",
    'so done with this',
    "I'm done.",
    'this is insane',
    'this is getting old',
    'why is this taking so long',
    'nothing but excuses from you',
    'zero help',
    'every single time I order',
    'late again?!',
    'why has nobody answered me',
    'is anyone even reading these',
    'anyone there??',
    'hello?? anybody?',
    'pls respond',
    'answer me',
    'just refund me already',
    'unbelievable.',
    'great, another delay',
    'where is it 🙄',
    'you guys suck',
    'is this a joke?',
    'i already told you this',
    '3 weeks and no refund',
    'omg seriously',
    'I want my refund NOW',
  ])('frustrated: "%s"', (text) => {
    expect(flags(text).frustrated).toBe(true);
  });

  it.each([
    "i'm not upset, just curious why the price went up",
    'is your support team in the US? just curious',
    'the prices are ridiculous, in a good way!',
    'ridiculously comfy socks, thanks',
    'asap!!',
    'someone is using my account right now!!',
    'I already sent the photos, what next?',
    'this vacuum sucks up everything, love it',
    'the old model was so slow, is the new one faster?',
    'thanks so much!!',
    'no worries at all',
    "I'm done with the form, what's next?",
  ])('not frustrated: "%s"', (text) => {
    expect(flags(text).frustrated).toBe(false);
  });

  it.each([
    'need it by friday',
    'asap pls',
    'hurry',
    'its for my kids bday tmrw',
    'rush please',
    'can u expedite it',
    "time's running out",
    'running out of time here',
    'need an answer within the hour',
    'renews in an hour, cancel it',
    'presentation in 30 mins and I am locked out',
    'need it by the 12th at the latest',
    'last day to return is today',
    'the recital is in two days',
    'trip starts sunday and it is not here',
    'needed it yesterday',
    'due any day now, need the crib',
    'please process this today',
    'cancel before 5pm today please',
    'human. now.',
    'by sat please',
    'as fast as possible pls',
  ])('urgent: "%s"', (text) => {
    expect(flags(text).urgent).toBe(true);
  });

  it.each([
    'honestly so annoyed rn',
    'are you serious right now',
    "I'm at work right now, email me please",
    'the show is urgent care themed, do you sell scrubs?',
    "the box says 'urgent' on it, is that normal?",
    'does the urgent delivery option cost extra?',
    'my birthday was on saturday and the gift was lovely',
    'it arrived in 2 hours, amazing',
    'my payment is due in 30 days',
    'will it arrive by christmas? no pressure',
    'not time sensitive, just a question',
    'ok I can cancel now',
    'no rush, whenever you get a chance',
  ])('not urgent: "%s"', (text) => {
    expect(flags(text).urgent).toBe(false);
  });

  it.each([
    'need to speak w someone about my return',
    "I'd rather sort this out with a real person",
    'i need help from an actual human',
    'who do I call about a hacked account?',
    'is there someone I can call?',
    'text me or call, whatever works',
    'reach me by phone please',
    'phone number to reach you?',
    'any humans working today?',
    'could a staff member please reach out?',
    'can a support person help me',
    'support person please',
    'a real human please',
    'need a call today please',
    "I'd love a call back when convenient",
  ])('humanRequested: "%s"', (text) => {
    expect(flags(text).humanRequested).toBe(true);
  });

  it.each([
    'we talked on the phone yesterday, all sorted now',
    'do you have a live chat widget for my own store?',
    'no need to call me, email is fine',
    "I don't need to speak to anyone, just want the refund",
    'someone called me claiming to be you, is that legit?',
    'I get a call from scammers every day',
    'anyone there??',
  ])('not humanRequested: "%s"', (text) => {
    expect(flags(text).humanRequested).toBe(false);
  });

  it('keeps the markers independent: a calm callback is not urgent', () => {
    expect(flags("I'd love a call back when convenient")).toEqual({
      frustrated: false,
      urgent: false,
      humanRequested: true,
    });
  });
});
