import { describe, expect, it } from 'vitest';
import { detectMarkers } from '../../../functions/classify/markers.js';

describe('round 4 marker phrases (classifier/markers/*.yaml, categories marked "round 4")', () => {
  it.each([
    'could you put me in touch with the billing team',
    'I want to be contacted by one of your agents',
    'customer rep please',
    'I would like to go over it with a member of staff',
    'necesito hablar con alguien por favor',
  ])('%s asks for a person', (text) => {
    expect(detectMarkers(text).humanRequested).toBe(true);
  });

  it.each([
    'I got a phone call from a number claiming to be your bank team',
    'we had a phone call last week and it was sorted',
  ])('%s reports a call, it does not ask for one', (text) => {
    expect(detectMarkers(text).humanRequested).toBe(false);
  });

  it.each([
    'the chat is going nowhere',
    'three weeks in processing, did you forget about my order?',
    'is there anybody who can actually help',
    'I closed it and you took the money anyway. great service',
  ])('%s is frustrated', (text) => {
    expect(detectMarkers(text).frustrated).toBe(true);
  });

  it.each(['the heater arrived and works, thanks anyway for checking', 'it is going well, thanks'])(
    '%s is not frustrated',
    (text) => {
      expect(detectMarkers(text).frustrated).toBe(false);
    },
  );

  it('a need before a date named earlier is urgent', () => {
    expect(detectMarkers('my sister arrives on the 14th and I need the bed frame before then').urgent).toBe(
      true,
    );
    expect(detectMarkers('I ordered it before then and it came on time').urgent).toBe(false);
  });
});
