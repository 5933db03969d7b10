/**
 * A renewal naming its predecessor by number, when two unrelated licenses of the pipeline hold that
 * number: which one it continues cannot be told, so the row is quarantined with a reason naming the
 * ambiguity and the candidates' source keys (masked), never linked to one of them arbitrarily. A
 * number held by a license and the renewals that continue it is no ambiguity.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { maskPersonalShapes } from '../../catalog/personal.js';
import type { Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import type { LicenseCandidate } from '../../mappings/license-mapper.js';
import { resolvePredecessors } from '../../pipelines/lifecycle/predecessors.js';
import { PIPELINE, predecessorWorkspace } from './predecessors-fixture.js';

const EXTRA = `  predecessor.sourceKey: { from: YXKZID, transform: [trim] }
  operation: { from: BGLX, transform: [trim], lookup: { "1": renew, "2": change, "3": transfer } }
`;

/** The one row quarantined is `sourceKey`, ambiguous, its reason naming `keys` masked and never as read. */
function expectAmbiguous(quarantined: QuarantineCandidate[], sourceKey: string, keys: string[]) {
  expect(quarantined.map((q) => q.sourceKey)).toEqual([sourceKey]);
  const [reason] = quarantined[0]?.reasons ?? [];
  expect(reason).toMatchObject({ code: 'LB_PREDECESSOR_AMBIGUOUS', path: 'predecessor.number' });
  for (const key of keys) {
    expect(reason?.message).toContain(maskPersonalShapes(key));
    expect(reason?.message).not.toContain(key);
  }
}

describe('a predecessor number two licenses hold', () => {
  const ws = predecessorWorkspace(EXTRA);
  const { row, ok, store } = ws;
  let ledger: Ledger;
  beforeAll(() => {
    ledger = ws.ledger;
  });

  it('in the ledger: the renewal is quarantined, naming both source keys masked', async () => {
    // Two unrelated licenses, source keys that look like phone numbers, one number between them.
    await store([
      ok(row('13912345678', { XKZBH: 'JY-TWIN-1' })),
      ok(row('13987654321', { XKZBH: 'JY-TWIN-1' })),
    ]);
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(
      ledger,
      PIPELINE,
      [ok(row('300', { XKZBH: 'JY-NEW-300', YZSBH: 'JY-TWIN-1' }))],
      quarantined,
    );
    expect(ready).toEqual([]);
    expectAmbiguous(quarantined, '300', ['13912345678', '13987654321']);
    // The number it names, to look for in the source.
    expect(quarantined[0]?.reasons[0]?.value).toBe('JY-TWIN-1');
  });

  it('read before both licenses in its page, the ledger holding none of the number: quarantined as well', async () => {
    // Each license is read after the renewal, so the ledger is asked with neither: the page is
    // what tells the two apart from one license (which a renewal read first continues).
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(
      ledger,
      PIPELINE,
      [
        ok(row('600', { XKZBH: 'JY-NEW-600', YZSBH: 'JY-TWIN-6' })),
        ok(row('13911112222', { XKZBH: 'JY-TWIN-6' })),
        ok(row('13933334444', { XKZBH: 'JY-TWIN-6' })),
      ],
      quarantined,
    );
    expect(ready.map((c) => c.sourceKey)).toEqual(['13911112222', '13933334444']);
    expectAmbiguous(quarantined, '600', ['13911112222', '13933334444']);
  });

  it('in the same page: quarantined as well', async () => {
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(
      ledger,
      PIPELINE,
      [
        ok(row('401', { XKZBH: 'JY-TWIN-4' })),
        ok(row('402', { XKZBH: 'JY-TWIN-4' })),
        ok(row('403', { XKZBH: 'JY-NEW-403', YZSBH: 'JY-TWIN-4' })),
      ],
      quarantined,
    );
    expect(ready.map((c) => c.sourceKey)).toEqual(['401', '402']);
    expect(quarantined.map((q) => [q.sourceKey, q.reasons[0]?.code])).toEqual([
      ['403', 'LB_PREDECESSOR_AMBIGUOUS'],
    ]);
  });

  // The same three rows (a license, an unrelated new one of its number, a renewal naming the
  // number), read in that order: the answer must not depend on where a page ends.
  async function readInPages(pages: string[][], tag: string) {
    const rows: Record<string, Record<string, string>> = {
      a: { XKZBH: `JY-SPLIT-${tag}` },
      b: { XKZBH: `JY-SPLIT-${tag}` },
      r: { XKZBH: `JY-NEW-${tag}`, YZSBH: `JY-SPLIT-${tag}` },
    };
    const quarantined: QuarantineCandidate[] = [];
    const linked: (string | undefined)[] = [];
    for (const page of pages) {
      const ready = await resolvePredecessors(
        ledger,
        PIPELINE,
        page.map((name) => ok(row(`${tag}-${name}`, rows[name] as Record<string, string>))),
        quarantined,
      );
      for (const c of ready) if (c.sourceKey === `${tag}-r`) linked.push(c.build(1).previousIdentifier);
      await store(ready as LicenseCandidate[]);
    }
    return { linked, codes: quarantined.map((q) => [q.sourceKey, q.reasons[0]?.code]) };
  }

  it.each([
    ['the license in the ledger, the other and the renewal in one page', [['a'], ['b', 'r']], '61'],
    ['both licenses in the ledger, the renewal in the next page', [['a', 'b'], ['r']], '62'],
    ['all three in one page', [['a', 'b', 'r']], '63'],
  ])('%s: quarantined the same way', async (_name, pages, tag) => {
    const { linked, codes } = await readInPages(pages, tag);
    expect(linked).toEqual([]);
    expect(codes).toEqual([[`${tag}-r`, 'LB_PREDECESSOR_AMBIGUOUS']]);
  });

  it.each([
    ["the renewal in the license's page, the other after it", [['a', 'r'], ['b']], '71'],
    ['the renewal and the other in the next page, the other last', [['a'], ['r', 'b']], '72'],
  ])(
    'an unrelated license read after the renewal: %s, linked to the one before',
    async (_name, pages, tag) => {
      const { linked, codes } = await readInPages(pages, tag);
      expect(codes).toEqual([]);
      expect(linked).toEqual([ok(row(`${tag}-a`, { XKZBH: `JY-SPLIT-${tag}` })).build(1).identifier]);
    },
  );

  it("a renewal naming its predecessor by source key too, that license in its page: linked to it, not to the ledger's license of the number", async () => {
    await store([ok(row('81-a', { XKZBH: 'JY-SPLIT-81' }))]);
    const named = ok(row('81-b', { XKZBH: 'JY-SPLIT-81' }));
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(
      ledger,
      PIPELINE,
      [named, ok(row('81-r', { XKZBH: 'JY-NEW-81', YZSBH: 'JY-SPLIT-81', YXKZID: '81-b' }))],
      quarantined,
    );
    expect(quarantined).toEqual([]);
    expect(ready[1]?.build(1).previousIdentifier).toBe(named.build(1).identifier);
  });

  it.each([
    ['the license in the ledger, both renewals in one page', [['a'], ['r1', 'r2']], '91'],
    ['the license and the first renewal in the ledger', [['a', 'r1'], ['r2']], '92'],
    ['all three in one page', [['a', 'r1', 'r2']], '93'],
  ])('a number renewed twice, %s: the second renewal continues the first', async (_name, pages, tag) => {
    const rows: Record<string, Record<string, string>> = {
      a: { XKZBH: `JY-TWICE-${tag}` },
      r1: { XKZBH: `JY-TWICE-${tag}`, YZSBH: `JY-TWICE-${tag}` },
      r2: { XKZBH: `JY-TWICE-${tag}`, YZSBH: `JY-TWICE-${tag}` },
    };
    const quarantined: QuarantineCandidate[] = [];
    const previous = new Map<string, string | undefined>();
    for (const page of pages) {
      const ready = await resolvePredecessors(
        ledger,
        PIPELINE,
        page.map((name) => ok(row(`${tag}-${name}`, rows[name] as Record<string, string>))),
        quarantined,
      );
      for (const c of ready) previous.set(c.sourceKey, c.build(1).previousIdentifier);
      await store(ready as LicenseCandidate[]);
    }
    expect(quarantined).toEqual([]);
    const first = (name: string) => ok(row(`${tag}-${name}`, rows[name] as Record<string, string>)).build(1);
    expect(previous.get(`${tag}-r1`)).toBe(first('a').identifier);
    expect(previous.get(`${tag}-r2`)).toBe(first('r1').identifier);
  });

  it('a license and the renewal continuing it under its number: the renewal is the predecessor', async () => {
    const first = ok(row('501', { XKZBH: 'JY-CHAIN-5' }));
    await store([first]);
    const renewal = ok(row('502', { XKZBH: 'JY-CHAIN-5', YZSBH: 'JY-CHAIN-5' }));
    const once: QuarantineCandidate[] = [];
    await store(await resolvePredecessors(ledger, PIPELINE, [renewal], once));
    expect(once).toEqual([]);
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(
      ledger,
      PIPELINE,
      [ok(row('503', { XKZBH: 'JY-CHAIN-5', YZSBH: 'JY-CHAIN-5' }))],
      quarantined,
    );
    expect(quarantined).toEqual([]);
    expect(ready[0]?.build(1).previousIdentifier).toBe(renewal.build(1).identifier);
  });
});
