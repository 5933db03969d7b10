/**
 * The advisory lock ids a send into a PostgreSQL or KingbaseES exchange table without a unique
 * `DELIVERY_KEY` takes (adapters/platforms/front-db/key-locks.ts). Workers of two licbridge versions
 * writing one table at once (a rolling upgrade) keep two sends of a key apart only while both derive
 * the same id from the same table and key: a derivation changed would let both read the key as
 * absent and both insert it. These are the ids as derived today; a change must fail here.
 */
import { describe, expect, it } from 'vitest';
import { keyLockId, tableLockId } from '../../adapters/platforms/front-db/key-locks.js';

describe('front-db advisory lock ids', () => {
  it('are the first 8 bytes of SHA-256 over the table as configured, a NUL and the key', () => {
    expect(keyLockId('UP_LIC_DATA', 'lic-000001:1:city')).toBe(-4267026719280258999n);
    expect(keyLockId('qzk.UP_LIC_DATA', 'lic-000001:1:city')).toBe(6520812032526235121n);
    expect(keyLockId('UP_LIC_DATA', '证照-1')).toBe(-8444386074191405962n);
  });

  it("the table's own is SHA-256 over its name alone, apart from every key's", () => {
    expect(tableLockId('UP_LIC_DATA')).toBe(1600835456832866574n);
    expect(tableLockId('UP_LIC_DATA')).not.toBe(keyLockId('UP_LIC_DATA', ''));
  });
});
