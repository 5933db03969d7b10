/**
 * A message gateway's refusal reason token is what the notify target keeps of its answer, as the
 * reminder's reason in `reminders.reason` and the hash-chained audit chain, never cleaned later.
 * A token naming the number refused in its groups (`110101-900307-123`, `138-0013-8000`) has no run
 * of seven digits and was read whole; it is masked as the answer is read
 * (notify-refusal-reason.int.test.ts sends reminders to such a gateway).
 */
import { describe, expect, it } from 'vitest';
import { parseGatewayAnswer } from '../../adapters/platforms/notify/message.js';
import { hidesAll, OLD_ID, TOKENS } from '../support/grouped-numbers.js';

describe("a gateway's refusal reason naming a number in its groups", () => {
  it('is masked as the answer is read', () => {
    for (const reason of TOKENS) {
      const answer = parseGatewayAnswer(JSON.stringify({ code: 40001, reason }));
      expect(answer?.code).toBe(40001);
      expect(answer?.reason).toBeDefined();
      expect(hidesAll(answer?.reason ?? ''), `${reason}: ${answer?.reason}`).toBe(true);
    }
    expect(parseGatewayAnswer(JSON.stringify({ code: 40001, reason: OLD_ID.join('-') }))?.reason).toBe(
      '1101**-*****7-123',
    );
  });

  it('naming no number, stays as the gateway wrote it', () => {
    for (const reason of ['BAD_PHONE', 'E1007', 'quota-2026-12-05', 'tpl.v2']) {
      expect(parseGatewayAnswer(JSON.stringify({ code: 40001, reason }))?.reason).toBe(reason);
    }
  });
});
