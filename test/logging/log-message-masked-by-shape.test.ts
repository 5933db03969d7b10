/**
 * A log line's message is masked by shape as its fields are: `log.info({…}, \`holder ${key} …\`)`
 * wrote the record key whole in `msg` while the same key under any field was masked, and so did an
 * interpolated value (`log.info('holder %s', key)`), an object's own `msg`, and the message pino
 * takes from an error logged without one (`log.error({ err })`). So are the codes kept of an error
 * (`code`, `address`, …): a client may put what it was sent there.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

// Made up: a holder's name, ID number and mobile number.
const NAME = '欧阳秀英';
const ID = '110101199003071234';
const MOBILE = '13800138000';

interface Line {
  msg?: string;
  err?: { message: string; code?: string; address?: string };
}
const parsed = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);

describe("a log line's message", () => {
  it('masks ID and mobile numbers however the message was given', () => {
    const { lines, logger } = lineLogger('trace');
    logger.info({ page: 3 }, `holder ${ID} refused`);
    logger.info(`call ${MOBILE} back`);
    logger.warn('holder %s refused', ID);
    logger.warn({ msg: `holder ${ID} refused` });
    logger.error({ err: new Error(`Duplicate entry '${NAME}-${ID}' for key 'uk_holder'`) });
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line).not.toContain(ID.slice(4, 14));
      expect(line).not.toContain(MOBILE);
      expect(line).not.toContain(NAME);
    }
    const [first, second, third, fourth, fifth] = parsed(lines);
    expect(first?.msg).toBe('holder 1101**********1234 refused');
    expect(second?.msg).toBe('call *******8000 back');
    expect(third?.msg).toBe('holder 1101**********1234 refused');
    expect(fourth?.msg).toBe('holder 1101**********1234 refused');
    expect(fifth?.msg).toBe(fifth?.err?.message);
    expect(fifth?.msg).toContain("for key 'uk_holder'");
  });

  it('keeps a message with no such number as it was', () => {
    const { lines, logger } = lineLogger('trace');
    const messages = [
      'extract: done',
      'page 12 of 40 read in 1830 ms',
      'run b3f1c2d4-1381-4234-8567-13812345678a ended',
      'license 1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F delivered',
      'issuer 91370406L24894136J, amount 13800.50, at 2026-12-06T14:04:55.130Z',
    ];
    for (const m of messages) logger.info({ page: 1 }, m);
    expect(parsed(lines).map((l) => l.msg)).toEqual(messages);
  });
});

describe("an error's codes in a log line", () => {
  it('are masked by shape as its message is', () => {
    const { lines, logger } = lineLogger('trace');
    const e = Object.assign(new Error('platform refused'), {
      code: `HOLDER_${ID}`,
      address: `tel:${MOBILE}`,
    });
    logger.warn({ err: e }, 'deliver: refused');
    expect(lines[0]).not.toContain(ID.slice(4, 14));
    expect(lines[0]).not.toContain(MOBILE);
    const [line] = parsed(lines);
    expect(line?.err?.code).toBe('HOLDER_1101**********1234');
  });

  it('keep what says what failed', () => {
    const { lines, logger } = lineLogger('trace');
    const e = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
      code: 'ECONNREFUSED',
      address: '10.0.0.5',
      port: 5432,
    });
    logger.warn({ err: e }, 'ledger: connect failed');
    const [line] = parsed(lines);
    expect(line?.err).toMatchObject({ code: 'ECONNREFUSED', address: '10.0.0.5' });
  });
});
