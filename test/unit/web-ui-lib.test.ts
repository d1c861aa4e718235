/** The web pages' pure helpers: the Call Me Now number as E.164, agents' amounts to minor units, the SLA countdown. */
import { describe, expect, it } from 'vitest';
import { agentName, formatDuration, parseMoney, slaText } from '../../web/src/lib/format.js';
import { toE164 } from '../../web/src/lib/phone.js';

describe('toE164', () => {
  it.each([
    ['US', '(206) 555-0100', '+12065550100'],
    ['GB', '020 7946 0018', '+442079460018'],
    ['DE', '030 901820', '+4930901820'],
    ['US', '+33 1 23 45 67 89', '+33123456789'],
  ] as const)('%s %s is %s', (country, typed, number) => {
    expect(toE164(country, typed)).toEqual({ ok: true, number });
  });

  it.each([
    ['US', '', /Enter your phone number/],
    ['US', '206 555', /10 digits/],
    ['US', '206-555-CALL', /digits only/],
    ['GB', '12', /not a full phone number/],
    ['US', '+0123456789', /not a full phone number/],
    ['US', '+1234567890123456', /not a full phone number/],
  ] as const)('%s %j is refused', (country, typed, reason) => {
    const checked = toE164(country, typed);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toMatch(reason);
  });
});

describe('parseMoney', () => {
  it('reads an amount in the currency as minor units', () => {
    expect(parseMoney('1299.00', 'USD')).toBe(129900);
    expect(parseMoney('1,299.5', 'USD')).toBe(129950);
    expect(parseMoney('14', 'EUR')).toBe(1400);
    expect(parseMoney('1500', 'JPY')).toBe(1500);
  });

  it('refuses what is not an amount of that currency', () => {
    for (const [text, currency] of [
      ['12.345', 'USD'],
      ['-5', 'USD'],
      ['abc', 'USD'],
      ['', 'USD'],
      ['15.5', 'JPY'],
    ])
      expect(parseMoney(text as string, currency as string), `${text} ${currency}`).toBeNull();
  });
});

describe('the board', () => {
  it('counts the SLA down, then says by how much it is overdue', () => {
    const deadline = '2026-03-20T12:05:00Z';
    expect(slaText(deadline, Date.parse('2026-03-20T12:00:46Z'))).toBe('4m 14s left');
    expect(slaText(deadline, Date.parse('2026-03-20T12:06:03Z'))).toBe('overdue by 1m 3s');
    expect(slaText(null, 0)).toBe('—');
    expect(formatDuration(3725)).toBe('1h 2m');
  });

  it('names an agent by the end of their IAM principal', () => {
    expect(agentName('arn:aws:iam::000000000000:user/agent-1')).toBe('agent-1');
    expect(agentName('agent-2')).toBe('agent-2');
    expect(agentName(null)).toBe('—');
  });
});
