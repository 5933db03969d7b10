/**
 * A renewal keeping its number continues the last renewal of that number read before it — but only
 * one that is itself stored. A renewal quarantined in the page (no license of the number to
 * continue) is not in the ledger, so the next renewal of the number must not be linked to it: it is
 * judged as it is when the quarantined row sits in an earlier page, where it was never stored. And
 * a renewal read before every license of its number in the page continues that license, never a
 * renewal read after it (which continues it): two renewals must not continue each other.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import type { LicenseCandidate } from '../../mappings/license-mapper.js';
import { resolvePredecessors } from '../../pipelines/lifecycle/predecessors.js';
import { demoValues } from '../mappings/fixtures.js';
import { PIPELINE, predecessorWorkspace } from './predecessors-fixture.js';

describe('a renewal after a renewal of its number quarantined in the page', () => {
  const ws = predecessorWorkspace();
  let ledger: Ledger;
  beforeAll(() => {
    ledger = ws.ledger;
  });

  const ok = (key: string, over: Record<string, string>): LicenseCandidate => {
    const r = ws.mapper({ key, values: demoValues({ YZSBH: null, ...over }) }, 'run');
    if (!r.ok) throw new Error(JSON.stringify(r.reasons));
    return r.candidate;
  };

  /** Reads `pages` of rows (name → values), storing what is not quarantined; what each renewal continues. */
  async function read(pages: string[][], rows: Record<string, Record<string, string>>, tag: string) {
    const quarantined: QuarantineCandidate[] = [];
    const linked = new Map<string, string | undefined>();
    for (const page of pages) {
      const ready = (await resolvePredecessors(
        ledger,
        PIPELINE,
        page.map((name) => ok(`${tag}-${name}`, rows[name] as Record<string, string>)),
        quarantined,
      )) as LicenseCandidate[];
      for (const c of ready) linked.set(c.sourceKey, c.build(1).previousIdentifier);
      if (ready.length > 0) {
        const runId = randomUUID();
        await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
        await ledger.commitPage({
          pipeline: PIPELINE,
          runId,
          checkpoint: encodeKeyPosition({ cursor: null, key: ready.at(-1)?.sourceKey ?? '' }),
          rowsRead: ready.length,
          candidates: ready,
          quarantined: [],
        });
      }
    }
    return { linked, codes: quarantined.map((q) => [q.sourceKey, q.reasons[0]?.code]) };
  }

  it.each([
    ['one page', [['r1', 'r2']], '1'],
    ['two pages', [['r1'], ['r2']], '2'],
  ])('no license of the number: both renewals quarantined (%s)', async (_name, pages, tag) => {
    const n = `JY-NONE-${tag}`;
    const rows = { r1: { XKZBH: n, YZSBH: n }, r2: { XKZBH: n, YZSBH: n } };
    const { linked, codes } = await read(pages, rows, tag);
    expect(codes).toEqual([
      [`${tag}-r1`, 'LB_PREDECESSOR_UNKNOWN'],
      [`${tag}-r2`, 'LB_PREDECESSOR_UNKNOWN'],
    ]);
    expect([...linked.keys()]).toEqual([]);
  });

  it('the license read after both: the first continues it, the second the first, no loop', async () => {
    const n = 'JY-AFTER-3';
    const rows = { r1: { XKZBH: n, YZSBH: n }, r2: { XKZBH: n, YZSBH: n }, a: { XKZBH: n } };
    const { linked, codes } = await read([['r1', 'r2', 'a']], rows, '3');
    expect(codes).toEqual([]);
    expect(linked.get('3-r1')).toBe(ok('3-a', rows.a).build(1).identifier);
    expect(linked.get('3-r2')).toBe(ok('3-r1', rows.r1).build(1).identifier);
  });
});
