/**
 * Before naming a re-delivery answered as a duplicate, a repair asks the platform what it holds: the
 * same version (and the same key, where the platform echoes one) is the repair's own earlier send,
 * delivered. An answer the platform gives that cannot be read back (no content to hash, a padded
 * license id) proves no delivery, yet at the same version it was taken for the repair's own send:
 * neither named nor held, while the check after the repair still found the license unreadable.
 * Such an answer leaves the duplicate named and held, as a platform showing another version does.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord } from '../../adapters/platforms/target.js';
import { createLogger } from '../../core/logger.js';
import { repairDuplicateAnswers } from '../../pipelines/reconcile/repair-duplicates.js';

const logger = createLogger({ level: 'silent' });
const ID = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.UNREADABLEANSWER01';
const KEY = `${ID}:2:province`;

function runtime(answer: PlatformRecord) {
  const held: string[] = [];
  const rt = {
    async ledger() {
      return {
        repairDuplicates: {
          async find(keys: readonly string[]) {
            return keys.map((key) => ({ key, answeredAt: '2026-12-01T00:00:00Z', heldBy: null }));
          },
          async hold(keys: readonly string[]) {
            held.push(...keys);
          },
        },
      };
    },
    async target() {
      return {
        name: 'province',
        async lookup() {
          return [answer];
        },
      };
    },
  };
  return { rt: rt as never, held };
}

describe('a duplicate answer the platform shows in the sent version but cannot be read back', () => {
  for (const [what, answer] of [
    [
      'content that cannot be hashed',
      { licenseId: ID, version: 2, status: 'valid', platformId: 'P1', unreadable: { reason: 'no content' } },
    ],
    [
      'a padded license id',
      { licenseId: ` ${ID}`, version: 2, status: 'valid', platformId: 'P1', contentHash: 'h' },
    ],
  ] as [string, PlatformRecord][]) {
    it(`is named and held (${what})`, async () => {
      const { rt, held } = runtime(answer);
      const out = await repairDuplicateAnswers(rt, [KEY], 'repair-1', logger);
      expect(out).toEqual({ duplicates: [KEY], ownSends: [] });
      expect(held).toEqual([KEY]);
    });
  }
  it('is the repair’s own send when it reads back in that version', async () => {
    const { rt, held } = runtime({
      licenseId: ID,
      version: 2,
      status: 'valid',
      platformId: 'P1',
      contentHash: 'h',
    } as PlatformRecord);
    const out = await repairDuplicateAnswers(rt, [KEY], 'repair-1', logger);
    expect(out).toEqual({ duplicates: [], ownSends: [KEY] });
    expect(held).toEqual([]);
  });
});
