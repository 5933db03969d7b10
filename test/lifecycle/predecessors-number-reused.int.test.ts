/**
 * A number given again after its license was cancelled (注销) or revoked: the old license keeps the
 * number in the ledger, ended, and the new one holds it in force. A renewal naming the number
 * continues the license in force — an ended license is not renewed — wherever a page ends; two
 * licenses in force under the number stay ambiguous, as do two ended ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import type { LicenseCandidate } from '../../mappings/license-mapper.js';
import { resolvePredecessors } from '../../pipelines/lifecycle/predecessors.js';
import { PIPELINE, predecessorWorkspace } from './predecessors-fixture.js';

const EXTRA = `  predecessor.sourceKey: { from: YXKZID, transform: [trim] }
  operation: { from: BGLX, transform: [trim], lookup: { "1": renew, "2": change, "3": transfer } }
`;

describe('a number reused after its license ended', () => {
  const ws = predecessorWorkspace(EXTRA);
  const { row, ok, store } = ws;
  let ledger: Ledger;
  beforeAll(() => {
    ledger = ws.ledger;
  });

  /** The old license (status code `old`), the new one of its number, then a renewal of the number. */
  async function readInPages(pages: string[][], tag: string, old: string, now = '1') {
    const rows: Record<string, Record<string, string>> = {
      old: { XKZBH: `JY-REUSED-${tag}`, ZT: old },
      now: { XKZBH: `JY-REUSED-${tag}`, ZT: now },
      r: { XKZBH: `JY-RENEWED-${tag}`, YZSBH: `JY-REUSED-${tag}` },
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
    const inForce = ok(row(`${tag}-now`, rows.now as Record<string, string>)).build(1).identifier;
    return { linked, inForce, codes: quarantined.map((q) => [q.sourceKey, q.reasons[0]?.code]) };
  }

  it.each([
    ['cancelled, both in the ledger', [['old', 'now'], ['r']], '11', '3'],
    ['revoked, both in the ledger', [['old', 'now'], ['r']], '12', '0'],
    ['cancelled in the ledger, the new one in the renewal page', [['old'], ['now', 'r']], '13', '3'],
    ['cancelled, all three in one page', [['old', 'now', 'r']], '14', '3'],
    [
      'the new one read first, the cancelled one after it, then the renewal',
      [['now'], ['old', 'r']],
      '15',
      '3',
    ],
    // Read before both in its page, the ledger is asked with neither: the page's rule decides.
    ['cancelled, the renewal read before both in one page', [['r', 'old', 'now']], '16', '3'],
    ['revoked, the renewal read before the new one and it', [['r', 'now', 'old']], '17', '0'],
  ])('%s: the renewal continues the license in force', async (_name, pages, tag, old) => {
    const { linked, inForce, codes } = await readInPages(pages, tag, old);
    expect(codes).toEqual([]);
    expect(linked).toEqual([inForce]);
  });

  it.each([
    ['two in force', [['old', 'now'], ['r']], '21', '1', '1'],
    ['both ended', [['old', 'now'], ['r']], '22', '3', '0'],
    ['two in force, the renewal read before both in one page', [['r', 'old', 'now']], '23', '1', '1'],
    ['both ended, the renewal read before both in one page', [['r', 'old', 'now']], '24', '3', '0'],
  ])('%s under the number: still ambiguous', async (_name, pages, tag, old, now) => {
    const { linked, codes } = await readInPages(pages, tag, old, now);
    expect(linked).toEqual([]);
    expect(codes).toEqual([[`${tag}-r`, 'LB_PREDECESSOR_AMBIGUOUS']]);
  });
});
