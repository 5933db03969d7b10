/**
 * `dlq replay --all` walks the dead-letter list past the letters it leaves dead until it has
 * `atOnce` to replay (dead-letters-taken.ts). It read each next page only as large as the room it
 * had left: one letter short of `atOnce`, a long run of letters left dead (a target the pipeline
 * moved away from) was read two at a time, each page with its own look for later versions, so a
 * run took thousands of reads. Pages past the first are now never under a thousand letters, and
 * what the run takes is as before: whole licenses, at most `atOnce` replayed.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { DeadLetter, DeadLetterQuery, Ledger } from '../../ledger/ledger.js';
import { LEFT_DEAD_LISTED, replayableDeadLetters } from '../../pipelines/dead-letters-taken.js';

function letter(target: string, license: number, version = 1): DeadLetter {
  const licenseId = `L${String(license).padStart(6, '0')}`;
  return {
    key: `${licenseId}:${version}:${target}`,
    licenseId,
    version,
    versionId: license * 10 + version,
    target,
    state: 'dead',
    attempts: 1,
    revision: 1,
    platformId: null,
    reasons: ['503'],
    receipt: null,
    updatedAt: new Date(0),
    pipeline: 'food',
    runId: 'r',
    operation: version === 1 ? 'issue' : 'revoke',
    lastError: null,
  };
}

/** The ledger's dead-letter list, in its order, and how many times it was read. */
function ledgerOf(all: readonly DeadLetter[]): { ledger: Ledger; reads: () => number } {
  let reads = 0;
  const order = (d: DeadLetter) => [d.target, d.licenseId, String(d.version).padStart(3, '0')].join('\u0000');
  const sorted = [...all].sort((a, b) => (order(a) < order(b) ? -1 : 1));
  const ledger = {
    async listDeadLetters(q: DeadLetterQuery) {
      reads += 1;
      const from = q.after ? order({ ...q.after } as DeadLetter) : '';
      return sorted.filter((d) => order(d) > from).slice(0, q.limit);
    },
    async versionPage() {
      return [];
    },
    async getDeliveries() {
      return [];
    },
  } as unknown as Ledger;
  return { ledger, reads: () => reads };
}

// `gone` is in the config, but the pipeline no longer delivers there: its letters are left dead.
const config = {
  pipelines: { food: { targets: ['city', 'province'] } },
  targets: { city: { kind: 'rest-json' }, gone: { kind: 'rest-json' }, province: { kind: 'rest-json' } },
} as unknown as Config;

describe('dlq replay --all walking past letters it leaves dead', () => {
  it('reads a long run of them a page at a time, however little room is left', async () => {
    const city = Array.from({ length: 1_999 }, (_, i) => letter('city', i));
    const gone = Array.from({ length: 5_000 }, (_, i) => letter('gone', i));
    const province = [letter('province', 1), letter('province', 2, 1), letter('province', 2, 2)];
    const { ledger, reads } = ledgerOf([...city, ...gone, ...province]);
    const out = await replayableDeadLetters(config, ledger, undefined, 2_000);
    // 1,999 of city, then past every letter of gone, province's first license: 2,000 in all.
    expect(out.letters.map((d) => d.key)).toEqual([...city, province[0]].map((d) => d?.key));
    expect(out.skippedCount).toBe(5_000);
    expect(out.more).toBe(true);
    expect(reads()).toBeLessThan(20);
  });

  it('leaves whole the license that does not fit, for the next run', async () => {
    const city = Array.from({ length: 1_999 }, (_, i) => letter('city', i));
    const gone = Array.from({ length: 10 }, (_, i) => letter('gone', i));
    const province = [letter('province', 2, 1), letter('province', 2, 2), letter('province', 3)];
    const { ledger } = ledgerOf([...city, ...gone, ...province]);
    const out = await replayableDeadLetters(config, ledger, undefined, 2_000);
    expect(out.letters.map((d) => d.key)).toEqual(city.map((d) => d.key));
    expect(out.skipped).toHaveLength(10);
    expect(out.skippedCount).toBe(10);
    expect(out.more).toBe(true);
  });

  it('takes all when they fit, and says no more', async () => {
    const city = Array.from({ length: 1_500 }, (_, i) => letter('city', i));
    const gone = Array.from({ length: 3_000 }, (_, i) => letter('gone', i));
    const { ledger } = ledgerOf([...city, ...gone, letter('province', 1)]);
    const out = await replayableDeadLetters(config, ledger, undefined, 2_000);
    expect(out.letters).toHaveLength(1_501);
    expect(out.skippedCount).toBe(3_000);
    expect(out.more).toBe(false);
  });

  it('lists the first 100 of the letters it leaves dead, and counts them all', async () => {
    // A target gone for a year: millions of letters walked past, each kept and printed by --json.
    const gone = Array.from({ length: 4_000 }, (_, i) => letter('gone', i));
    const { ledger } = ledgerOf([...gone, letter('province', 1)]);
    const out = await replayableDeadLetters(config, ledger, undefined, 2_000);
    expect(LEFT_DEAD_LISTED).toBe(100);
    expect(out.skipped.map((d) => d.key)).toEqual(gone.slice(0, 100).map((d) => d.key));
    expect(out.skippedCount).toBe(4_000);
    expect(out.skippedWhere).toEqual(['food → gone']);
    expect(out.letters.map((d) => d.key)).toEqual([letter('province', 1).key]);
  });

  it('lists the first 100 of those a later accepted version supersedes, and counts them all', async () => {
    const old = Array.from({ length: 2_500 }, (_, i) => letter('city', i));
    const { ledger } = ledgerOf(old);
    // Each license's version 2 is accepted at city: every dead version 1 is superseded.
    Object.assign(ledger, {
      async versionPage(q: { afterVersionId: number; licenseIds: string[] }) {
        return q.licenseIds
          .map((licenseId) => ({ licenseId, version: 2, versionId: Number(licenseId.slice(1)) * 10 + 2 }))
          .filter((v) => v.versionId > q.afterVersionId);
      },
      async getDeliveries(keys: string[]) {
        return keys.map((key) => {
          const [licenseId, version, target] = key.split(':') as [string, string, string];
          const versionId = Number(licenseId.slice(1)) * 10 + Number(version);
          return { key, licenseId, version: Number(version), versionId, target, state: 'accepted' };
        });
      },
    });
    const out = await replayableDeadLetters(config, ledger, undefined, 2_000);
    expect(out.letters).toEqual([]);
    expect(out.superseded.map((d) => d.key)).toEqual(old.slice(0, 100).map((d) => d.key));
    expect(out.supersededCount).toBe(2_500);
  });
});
