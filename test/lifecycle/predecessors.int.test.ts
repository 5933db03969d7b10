/**
 * A row naming the license it continues: resolved to `previousIdentifier` from the ledger (by
 * number or source key) or from the same page, with the mapping's operation; quarantined with
 * the reason when the predecessor is unknown, missing, or the operation is not one of renew,
 * change, transfer.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, QuarantineCandidate, VersionCandidate } from '../../ledger/ledger.js';
import { compileMappingText } from '../../mappings/compile.js';
import { resolvePredecessors } from '../../pipelines/lifecycle/predecessors.js';
import { DEMO_MAPPING_FILE } from '../mappings/fixtures.js';
import { PIPELINE, predecessorWorkspace } from './predecessors-fixture.js';

// The demo mapping reads predecessor.number from YZSBH already; the test adds the rest.
const EXTRA = `  predecessor.sourceKey: { from: YXKZID, transform: [trim] }
  operation: { from: BGLX, transform: [trim], lookup: { "1": renew, "2": change, "3": transfer } }
`;

describe('renewals, changes and transfers from the mapping', () => {
  const ws = predecessorWorkspace(EXTRA);
  const { row, ok } = ws;
  let ledger: Ledger;
  let oldIdentifier: string;

  beforeAll(async () => {
    ledger = ws.ledger;
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
    const old = ok(row('100', { XKZBH: 'JY-OLD-100' }));
    await ledger.commitPage({
      pipeline: PIPELINE,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '100' }),
      rowsRead: 1,
      candidates: [old],
      quarantined: [],
    });
    oldIdentifier = old.build(1).identifier;
  });

  it('names the predecessor by number, by source key, or in the same page, with the operation the mapping gives', async () => {
    const byNumber = ok(row('201', { XKZBH: 'JY-NEW-201', YZSBH: 'JY-OLD-100' }));
    const byKey = ok(row('202', { XKZBH: 'JY-NEW-202', YXKZID: '100', BGLX: '2' }));
    const first = ok(row('203', { XKZBH: 'JY-NEW-203' }));
    const inPage = ok(row('204', { XKZBH: 'JY-NEW-204', YZSBH: 'JY-NEW-203', BGLX: '3' }));
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(ledger, PIPELINE, [byNumber, byKey, first, inPage], quarantined);
    expect(quarantined).toEqual([]);
    expect(ready.map((c) => [c.sourceKey, c.operation, c.build(1).previousIdentifier])).toEqual([
      ['201', 'renew', oldIdentifier],
      ['202', 'change', oldIdentifier],
      ['203', undefined, undefined],
      ['204', 'transfer', first.build(1).identifier],
    ]);
    // The predecessor is part of the content: signed with the license.
    expect(byNumber.contentHash).not.toBe(ok(row('201', { XKZBH: 'JY-NEW-201' })).contentHash);
  });

  it('a renewal keeping its number finds the predecessor read in the same page, even when read before it', async () => {
    // 延续 keeps the license number: both rows carry JY-SAME-501, the renewal names it as its
    // predecessor's number, and the renewal's row comes first in the page.
    const renewal = ok(row('502', { XKZBH: 'JY-SAME-501', YZSBH: 'JY-SAME-501' }));
    const predecessor = ok(row('501', { XKZBH: 'JY-SAME-501' }));
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(ledger, PIPELINE, [renewal, predecessor], quarantined);
    expect(quarantined).toEqual([]);
    expect(ready.map((c) => [c.sourceKey, c.operation, c.build(1).previousIdentifier])).toEqual([
      ['502', 'renew', predecessor.build(1).identifier],
      ['501', undefined, undefined],
    ]);
  });

  it('a renewal keeping its number, itself in the ledger already, finds the other license of the number', async () => {
    // Both licenses of each pair were stored before the mapping named predecessors; each pair
    // shares a number, one with the renewal's id sorting first and one with it sorting last.
    const pairs = [
      { old: '601', renewal: '602', number: 'JY-SAME-601' },
      { old: '702', renewal: '701', number: 'JY-SAME-701' },
    ];
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
    const stored = pairs.flatMap((p) => [
      ok(row(p.old, { XKZBH: p.number })),
      ok(row(p.renewal, { XKZBH: p.number })),
    ]);
    await ledger.commitPage({
      pipeline: PIPELINE,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '702' }),
      rowsRead: stored.length,
      candidates: stored,
      quarantined: [],
    });
    const oldOf = new Map(stored.map((c) => [c.sourceKey, c.build(1).identifier]));
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(
      ledger,
      PIPELINE,
      pairs.map((p) => ok(row(p.renewal, { XKZBH: p.number, YZSBH: p.number }))),
      quarantined,
    );
    expect(quarantined).toEqual([]);
    expect(ready.map((c) => [c.sourceKey, c.build(2).previousIdentifier])).toEqual(
      pairs.map((p) => [p.renewal, oldOf.get(p.old)]),
    );
  });

  it('a second renewal keeping the number continues the first renewal, not the license it renewed', async () => {
    const commit = async (candidates: VersionCandidate[], key: string) => {
      const runId = randomUUID();
      await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
      await ledger.commitPage({
        pipeline: PIPELINE,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key }),
        rowsRead: candidates.length,
        candidates,
        quarantined: [],
      });
    };
    // Two chains of one number each (license, renewal, second renewal), the renewal's id sorting
    // after the first license's in one and before it in the other: a pick by license id alone
    // takes the first license in the one.
    const idOf = (key: string) => ok(row(key, { XKZBH: 'JY-X' })).licenseId;
    const keys = Array.from({ length: 40 }, (_, i) => String(810 + i));
    const later = keys.find((k) => idOf(k) > idOf('800'));
    const earlier = keys.find((k) => k !== later && idOf(k) < idOf('801'));
    if (!later || !earlier) throw new Error('expected keys with ids on both sides');
    const chains = [
      { first: '800', renewal: later, second: '900', number: 'JY-TWICE-800' },
      { first: '801', renewal: earlier, second: '901', number: 'JY-TWICE-801' },
    ];
    await commit(
      chains.map((c) => ok(row(c.first, { XKZBH: c.number }))),
      'first',
    );
    const renewals = await resolvePredecessors(
      ledger,
      PIPELINE,
      chains.map((c) => ok(row(c.renewal, { XKZBH: c.number, YZSBH: c.number }))),
      [],
    );
    await commit(renewals, 'renewal');
    const quarantined: QuarantineCandidate[] = [];
    const seconds = await resolvePredecessors(
      ledger,
      PIPELINE,
      chains.map((c) => ok(row(c.second, { XKZBH: c.number, YZSBH: c.number }))),
      quarantined,
    );
    expect(quarantined).toEqual([]);
    expect(seconds.map((c) => c.build(1).previousIdentifier)).toEqual(
      renewals.map((c) => c.build(1).identifier),
    );
    // So the first renewal's holder, renewed again, is not reminded that it runs out.
    await commit(seconds, 'second');
    expect([...(await ledger.reminders.continued(renewals.map((c) => c.licenseId)))].sort()).toEqual(
      renewals.map((c) => c.licenseId).sort(),
    );
  });

  it('quarantines a row whose predecessor the pipeline does not hold', async () => {
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(
      ledger,
      PIPELINE,
      [ok(row('301', { XKZBH: 'JY-NEW-301', YZSBH: 'JY-NOWHERE' }))],
      quarantined,
    );
    expect(ready).toEqual([]);
    expect(quarantined).toMatchObject([
      {
        sourceKey: '301',
        reasons: [{ code: 'LB_PREDECESSOR_UNKNOWN', path: 'predecessor.number', value: 'JY-NOWHERE' }],
      },
    ]);
  });

  it('refuses an operation without a predecessor, and a mapping whose lookup gives an operation that is not renew, change or transfer', async () => {
    expect(row('401', { BGLX: '2' })).toMatchObject({
      ok: false,
      reasons: [{ code: 'LB_PREDECESSOR_REQUIRED', path: 'operation' }],
    });
    // A lookup value is checked as the mapping loads (a source value outside the list is refused
    // row by row: test/mappings/successor.test.ts).
    const moving = EXTRA.replace('"3": transfer }', '"3": transfer, "9": move }');
    const text = `${await readFile(DEMO_MAPPING_FILE, 'utf8')}${moving}`;
    expect(() => compileMappingText(text, DEMO_MAPPING_FILE)).toThrow(
      /fields\.operation\.lookup\.9: code `9` maps to operation `move`, not one of renew, change, transfer/,
    );
  });
});
