/**
 * The light check names the stand-in keys no row gives any more, for a person to look up and close
 * (`licbridge quarantine resolve`): sorted, the first STAND_INS_LISTED of them, beside the count of
 * all. Stand-ins are a key column's name and a hash of the row, or an export file's name and a
 * record's index (connectors/sql/row-keys.ts, connectors/xml-files/record-rows.ts), never a value
 * of the row. Only keys holding LB_SOURCE_KEY_MISSING are counted.
 */
import { describe, expect, it } from 'vitest';
import type { OpenQuarantineEntry } from '../../ledger/quarantine-queries.js';
import { STAND_INS_LISTED, standInsNotSeen } from '../../pipelines/reconcile/stand-ins-gone.js';
import { SourceKeySet } from '../../pipelines/reconcile/stored-key.js';

const entry = (sourceKey: string, code = 'LB_SOURCE_KEY_MISSING') =>
  ({ sourceKey, reasons: [{ code, message: 'm' }] }) as unknown as OpenQuarantineEntry;

describe('stand-ins not seen', () => {
  const sourceKeys = new SourceKeySet();
  sourceKeys.add('JY1');
  sourceKeys.add('XKZBH:missing#0000000000000001');
  const gone = Array.from(
    { length: STAND_INS_LISTED + 50 },
    (_, i) => `XKZBH:missing#${(i + 2).toString(16).padStart(16, '0')}`,
  ).reverse();
  const open = [
    ...gone.map((k) => entry(k)),
    entry('XKZBH:missing#0000000000000001'),
    // A key deleted at the source while quarantined for another reason: not a stand-in.
    entry('JY2', 'LB_MAP_DATE'),
  ];
  const ledger = { openQuarantine: async () => open };
  const quarantinedKeys = open.map((e) => e.sourceKey);

  it('counts them all and lists the first, sorted', async () => {
    const r = await standInsNotSeen(ledger, { pipeline: 'p', quarantinedKeys, sourceKeys, whole: true });
    expect(r.count).toBe(STAND_INS_LISTED + 50);
    expect(r.keys).toEqual([...gone].sort().slice(0, STAND_INS_LISTED));
  });

  it('counts none on a key set not known whole', async () => {
    const r = await standInsNotSeen(ledger, { pipeline: 'p', quarantinedKeys, sourceKeys, whole: false });
    expect(r).toEqual({ count: 0, keys: [] });
  });
});
