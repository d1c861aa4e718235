import { describe, expect, it } from 'vitest';
import { detectMarkers } from '../../../functions/classify/markers.js';

/** frustrated.yaml: sarcasm, a bot that does not help, patience run out, the same failure in a row. */
describe('frustrated: sarcasm and patience run out (classifier/markers/frustrated.yaml)', () => {
  it.each([
    'my refund vanished from the portal, love that for me',
    'the reset link expired before it arrived, of course it did not work',
    'thanks for nothing, the invoice is still wrong',
    'what a surprise, the courier skipped my street',
    'oh perfect, the box turned up soaked',
    'charged me again after I cancelled, very professional',
    'the strap snapped on day one, amazing quality',
    'somebody used my login from abroad and you let them, top notch security',
  ])('%s is sarcastic, so frustrated', (text) => {
    expect(detectMarkers(text).frustrated).toBe(true);
  });

  it.each([
    'your bot clearly does not understand me',
    'no more chatbot replies, let me write to a person',
    'I have been talking to a robot for ages',
    'I have been trying to update my card for like 30 minutes',
    'I am done waiting for this parcel',
    'I would like to lodge a complaint about the courier',
    'the fourth order in a row that arrives late',
    'the app crashed three days straight',
    'sort out the duplicate payment or I am cancelling everything',
    'fix it right now, the invoice is wrong',
    'nothing is working on your checkout',
    'I cannot believe I had to write a fourth message',
    'I have been more than patient about this parcel',
    'stop fobbing me off with the same answer',
    'I regret ordering from this shop',
  ])('%s is frustrated', (text) => {
    expect(detectMarkers(text).frustrated).toBe(true);
  });

  it.each([
    'the lamp is great quality, thank you',
    'your agent was very helpful yesterday',
    'you sent me two emails in a row about the same order, which one counts?',
    'I waited 20 minutes for the courier and he was lovely',
    'I am not angry, just asking where my order is',
    'ordered two days ago, no rush, when will it ship?',
    'I cannot believe how quickly it arrived, thank you',
  ])('%s is not frustrated', (text) => {
    expect(detectMarkers(text).frustrated).toBe(false);
  });
});
