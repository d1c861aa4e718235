import { describe, expect, it } from 'vitest';
import { CARD_PLACEHOLDER, luhnValid, redact, SECRET_PLACEHOLDER } from '../../functions/intake/redact.js';

describe('redact: card numbers', () => {
  it.each([
    ['a 16-digit Visa test number', '4111111111111111'],
    ['a 16-digit Mastercard number in groups of four with spaces', '5555 5555 5555 4444'],
    ['a 16-digit number grouped with dashes', '4111-1111-1111-1111'],
    ['a 15-digit Amex number grouped 4-6-5', '3782 822463 10005'],
    ['a 13-digit number', '4222222222222'],
    ['a 19-digit number', '6011111111111111110'],
  ])('removes %s', (_label, card) => {
    // Prepare
    const message = `I was charged twice on my card ${card}, please refund.`;

    // Act
    const result = redact(message);

    // Assess
    expect(result.redacted).toBe(true);
    expect(result.text).toBe(`I was charged twice on my card ${CARD_PLACEHOLDER}, please refund.`);
    expect(result.text.replace(/\D/g, '')).toBe('');
  });

  it('removes every card number in a message', () => {
    const result = redact('old 4111111111111111 new 5555555555554444');

    expect(result.text).toBe(`old ${CARD_PLACEHOLDER} new ${CARD_PLACEHOLDER}`);
  });

  it('keeps a long number that fails the Luhn check (an order number)', () => {
    // Prepare
    const orderNumber = '1234567890123456';
    expect(luhnValid(orderNumber)).toBe(false);

    // Act
    const result = redact(`Where is order ${orderNumber}?`);

    // Assess
    expect(result).toEqual({ text: `Where is order ${orderNumber}?`, redacted: false });
  });

  it('keeps numbers too short or too long to be a card', () => {
    const text = 'Order 113-4567890-1234567 and tracking 1Z999AA10123456784 and 12345678901234567890123';

    expect(redact(text)).toEqual({ text, redacted: false });
  });

  it('keeps a phone number', () => {
    const text = 'Call me on +12065550100 please';

    expect(redact(text)).toEqual({ text, redacted: false });
  });

  // Bug: a card number followed by a space and more digits (CVV, expiry) is matched greedily as one
  // 18-19 digit candidate that fails Luhn, so the card number is kept. See the report.
  it('removes a card number followed by its CVV separated by a space', () => {
    const result = redact('card 4111 1111 1111 1111 123');

    expect(result.text).not.toContain('4111');
  });
});

describe('redact: passwords and passcodes', () => {
  it('removes the secret after "password"', () => {
    // Act
    const result = redact('my password is hunter2');

    // Assess
    expect(result.redacted).toBe(true);
    expect(result.text).not.toContain('hunter2');
    expect(result.text).toBe(`my password ${SECRET_PLACEHOLDER}`);
  });

  it.each([
    ['passcode', 'the passcode is 4711'],
    ['Password: (capitalised, with a colon)', 'Password: hunter2'],
    ['passwd', 'passwd=hunter2'],
    ['pwd', 'pwd hunter2'],
  ])('removes the secret after %s', (_label, message) => {
    const result = redact(message);

    expect(result.redacted).toBe(true);
    expect(result.text).not.toMatch(/hunter2|4711/);
    expect(result.text).toContain(SECRET_PLACEHOLDER);
  });

  // Doubtful: the word boundary after "password" misses the plural, so the secret is kept.
  it('removes the secret after "passwords"', () => {
    expect(redact('my passwords are hunter2 and hunter3').text).not.toContain('hunter2');
  });

  it('removes both a card number and a password from one message', () => {
    const result = redact('card 4111111111111111 and my password is hunter2');

    expect(result.text).toBe(`card ${CARD_PLACEHOLDER} and my password ${SECRET_PLACEHOLDER}`);
  });
});

describe('redact: text without secrets', () => {
  it.each([
    'I cancelled my subscription on Feb 15 but was charged again on Mar 1 for $14.99.',
    'Where is my order 113-4567890? It was due 2026-02-14.',
    'I want to talk to a person, this is the third time I ask!',
    '',
  ])('leaves %j unchanged', (text) => {
    expect(redact(text)).toEqual({ text, redacted: false });
  });

  it('does not treat words that merely contain "pass" as a password', () => {
    const text = 'My package was passed to another carrier and my passport order is late.';

    expect(redact(text)).toEqual({ text, redacted: false });
  });
});
