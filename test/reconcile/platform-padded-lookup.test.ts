/**
 * A target without a listing is asked for the ledger's licenses by id (`lookup`). One whose answer
 * names the license with white space before or after its licenseId (a space, a tab, an
 * ideographic space) was taken for absent, as the answer was kept under the padded id: the license
 * showed `missing-at-platform`, re-sent by a repair, though the platform holds an entry of it. Such
 * an answer is now `unreadable-at-platform` for the license asked, as in a listing, and a repair
 * only flags it.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { paddedIdFixtures } from './padded-id-fixtures.js';

const { PREFIX, id, held, ledgerHolding } = paddedIdFixtures('PADDEDLOOKUP000000');

/** A target that answers by id only, with `answers` for the ids it is asked. */
function lookupOnly(answers: Map<string, PlatformRecord>): TargetAdapter {
  return {
    name: 'province',
    async lookup(licenseIds: readonly string[]) {
      return licenseIds.flatMap((i) => answers.get(i) ?? []);
    },
  } as unknown as TargetAdapter;
}

describe.each([
  ['a space before it', (s: string) => ` ${s}`],
  ['a tab after it', (s: string) => `${s}\t`],
  ['an ideographic space after it', (s: string) => `${s}\u3000`],
])('a lookup answer whose licenseId has %s', (_name, pad) => {
  it('is the unreadable answer for the license asked, which is not re-sent', async () => {
    const answers = new Map([
      [id(0), held(0)],
      [id(1), held(1, pad(id(1)))],
    ]);
    const result = await checkPlatform({
      ledger: ledgerHolding([0, 1]),
      pipeline: 'p',
      adapter: lookupOnly(answers),
      licensePrefix: PREFIX,
      pageSize: 100,
    });
    expect(result.differences.map((d) => [d.kind, d.licenseId, d.ledger?.versionId ?? null])).toEqual([
      ['unreadable-at-platform', id(1), 101],
    ]);
    const plan = planRepairs(
      { config: { reconcile: { unknownAtPlatform: 'revoke' } } } as never,
      { all: result.differences, reportId: 'r', pipeline: 'p' } as never,
    );
    expect(plan.items.map((i) => i.action)).toEqual(['flag']);
    expect(result.counts.total).toBe(1);
  });
});
