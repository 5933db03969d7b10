/**
 * The quarantine worklist's present state on both backends: one entry per open key however many
 * runs quarantined it, a key that later maps cleanly (changed or unchanged) leaves the list while
 * its history stays, a key quarantined again comes back, and an older record of a key (superseded)
 * does not close its newer quarantine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { CommitPageInput, Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';

describe.each(BACKENDS)('quarantine worklist ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  async function commit(pipeline: string, over: Partial<CommitPageInput>): Promise<void> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const candidates = over.candidates ?? [];
    const quarantined = over.quarantined ?? [];
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: 'c', key: 'k' }),
      rowsRead: candidates.length + quarantined.length,
      candidates,
      quarantined,
      ...over,
    });
  }
  const bad = (key: string, code = 'LB_HOLDER_ID_CHECK'): QuarantineCandidate => ({
    sourceKey: key,
    reasons: [{ code, message: 'check char', path: 'holder.id', column: 'TYSHXYDM', value: '9137****0001' }],
  });
  const open = async (pipeline: string) =>
    (await ledger.openQuarantine({ pipeline })).map((e) => [e.sourceKey, e.timesSeen]);

  it('lists each open key once with how often it was seen, and drops a key that maps cleanly', async () => {
    const pipeline = uniqueName('p');
    const keys = [1, 2, 3].map((n) => `${pipeline}-${n}`);
    await commit(pipeline, { quarantined: keys.map((k) => bad(k)) });
    await commit(pipeline, { quarantined: keys.map((k) => bad(k, 'LB_MAP_DATE')) });
    expect(await open(pipeline)).toEqual(keys.map((k) => [k, 2]));
    const [first] = await ledger.openQuarantine({ pipeline });
    expect(first?.reasons.map((r) => r.code)).toEqual(['LB_MAP_DATE']);

    // Key 2 maps cleanly now: it leaves the list; its history stays, closed.
    await commit(pipeline, { candidates: [candidate({ n: 2, pipeline })] });
    expect(await open(pipeline)).toEqual([
      [keys[0], 2],
      [keys[2], 2],
    ]);
    const history = await ledger.quarantineHistory({ pipeline, sourceKey: keys[1]! });
    expect(history).toHaveLength(2);
    expect(history.every((r) => r.resolvedAt instanceof Date)).toBe(true);

    // The same content again (an unchanged license) also closes a newer quarantine of the key.
    await commit(pipeline, { quarantined: [bad(keys[1]!)] });
    expect((await open(pipeline)).map(([k]) => k)).toContain(keys[1]);
    await commit(pipeline, { candidates: [candidate({ n: 2, pipeline })] });
    expect((await open(pipeline)).map(([k]) => k)).not.toContain(keys[1]);
    // Seen once in the new episode: counts restart after a key was resolved.
    await commit(pipeline, { quarantined: [bad(keys[1]!)] });
    expect(await open(pipeline)).toContainEqual([keys[1], 1]);
  });

  it('keeps a key open when only an older record of it maps (superseded)', async () => {
    const pipeline = uniqueName('p');
    const c = candidate({ n: 5, pipeline });
    const compareOrders = (a: string, b: string) => a.localeCompare(b);
    await commit(pipeline, { candidates: [c], sourceOrders: new Map([[c.sourceKey, '2']]), compareOrders });
    await commit(pipeline, { quarantined: [bad(c.sourceKey)] });
    await commit(pipeline, {
      candidates: [candidate({ n: 5, pipeline, content: 'older' })],
      sourceOrders: new Map([[c.sourceKey, '1']]),
      compareOrders,
    });
    expect(await open(pipeline)).toEqual([[c.sourceKey, 1]]);
  });

  it('keeps pipelines apart', async () => {
    const a = uniqueName('p');
    const b = uniqueName('p');
    await commit(a, { quarantined: [bad('shared-key')] });
    await commit(b, { quarantined: [bad('shared-key')] });
    await commit(a, { candidates: [{ ...candidate({ n: 9, pipeline: a }), sourceKey: 'shared-key' }] });
    expect(await open(a)).toEqual([]);
    expect(await open(b)).toEqual([['shared-key', 1]]);
  });
});
