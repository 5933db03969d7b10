/**
 * Delivery keys are the contract's name for a delivery while the table keys it by version and
 * target: a key parses only when it is exactly what `deliveryKey` writes, so a look-alike key never
 * names another delivery's row.
 */
import { describe, expect, it } from 'vitest';
import { keyOfRef, parseDeliveryKey, refsByTarget } from '../../ledger/delivery-keys.js';
import { deliveryKey } from '../../ledger/rows.js';

const LICENSE = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.K4Y975IEM661YSSEJ0D8';

describe('delivery keys', () => {
  it('parses what deliveryKey writes, back to its parts', () => {
    expect(parseDeliveryKey(deliveryKey(LICENSE, 12, 'province'))).toEqual({
      licenseId: LICENSE,
      version: 12,
      target: 'province',
    });
  });

  it.each([
    ['a version with a leading zero', `${LICENSE}:01:province`],
    ['version 0', `${LICENSE}:0:province`],
    ['a negative version', `${LICENSE}:-1:province`],
    ['a fractional version', `${LICENSE}:1.5:province`],
    ['no target', `${LICENSE}:1`],
    ['a fourth part', `${LICENSE}:1:province:x`],
    ['an empty version', `${LICENSE}::province`],
  ])('names nothing for %s', (_, key) => {
    expect(parseDeliveryKey(key)).toBeUndefined();
  });

  it('groups refs by target, version ids once each, in chunks that fit the bind limit', () => {
    const refs = [
      { key: 'a', versionId: 1, target: 'province' },
      { key: 'b', versionId: 2, target: 'city' },
      { key: 'c', versionId: 3, target: 'province' },
      { key: 'd', versionId: 1, target: 'province' },
      { key: 'e', versionId: 4, target: 'province' },
    ];
    expect(refsByTarget(refs, 2)).toEqual([
      { target: 'province', versionIds: [1, 3] },
      { target: 'province', versionIds: [4] },
      { target: 'city', versionIds: [2] },
    ]);
  });

  it('groups refs in linear time: 500,000 at one target, which copying the list per ref would take minutes over', () => {
    const refs = Array.from({ length: 500_000 }, (_, i) => ({
      key: `k${i}`,
      versionId: i + 1,
      target: 'province',
    }));
    const groups = refsByTarget(refs, 32_000);
    expect(groups.map((g) => g.versionIds.length)).toEqual([...Array(15).fill(32_000), 20_000]);
    // Every id in order, the first out of place named: toEqual over the 500,000 took most of this
    // file's CPU.
    const ids = groups.flatMap((g) => g.versionIds);
    expect(ids).toHaveLength(refs.length);
    const first = ids.findIndex((id, i) => id !== refs[i]?.versionId);
    expect(first === -1 ? 'all in order' : `id ${ids[first]} at ${first}`).toBe('all in order');
  });

  it('maps a row back to the key it was asked for by, ids as either driver returns them', () => {
    const keyOf = keyOfRef([{ key: 'k1', versionId: 7, target: 'province' }]);
    expect(keyOf(7, 'province')).toBe('k1');
    expect(keyOf('7', 'province')).toBe('k1');
    expect(keyOf(7, 'city')).toBeUndefined();
  });
});
