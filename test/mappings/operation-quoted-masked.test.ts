/**
 * An operation value that is not renew, change or transfer is quarantined (LB_MAP_OPERATION) with
 * the value quoted in the reason's message, which the ledger keeps for years. A column holding
 * anything else (a rule reading the wrong column: a note, an owner's document) put a PRC passport
 * number in it whole, though a reason's value masks it, and a long text went in whole too. The
 * value is now quoted as a reason's value shows it: numbers masked by their shape, cut to 64
 * characters.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { successorOf } from '../../mappings/successor.js';

const MAPPING = compileMappingText(
  [
    'fields:',
    '  predecessor.number: { from: YZSBH, transform: [trim] }',
    '  operation: { from: BGLX }',
    '',
  ].join('\n'),
  'renewals.yaml',
);

const PASSPORT = `E${String(Math.floor(Math.random() * 9e7) + 1e7)}`;

const messageFor = (op: string): string => {
  const r = MAPPING.map({ YZSBH: 'JY23702110012345', BGLX: op });
  if (!r.ok) throw new Error(`expected the row to map, got ${JSON.stringify(r.reasons)}`);
  const successor = successorOf(r.fields, MAPPING);
  const reason =
    'reasons' in successor ? successor.reasons.find((x) => x.code === 'LB_MAP_OPERATION') : undefined;
  if (!reason) throw new Error(`expected LB_MAP_OPERATION, got ${JSON.stringify(successor)}`);
  return reason.message;
};

describe('an operation quoted in its reason', () => {
  it('has a passport number in it masked', () => {
    const message = messageFor(`业主护照${PASSPORT}`);
    expect(message).toContain('业主护照E');
    expect(message).not.toContain(PASSPORT.slice(2, 7));
  });

  it('is cut to 64 characters', () => {
    const message = messageFor('变更'.repeat(1000));
    expect(message.length).toBeLessThan(300);
    expect(message).toContain('(2000 chars)');
  });
});
