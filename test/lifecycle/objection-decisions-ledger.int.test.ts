/**
 * The ledger side of decisions on an objection, on both backends: two decisions made at once
 * cannot both stand — the first to commit resolves the objection, the other is refused naming the
 * objection and its state, and both are in the audit chain (also when the second
 * waits on the first one's uncommitted row; a held uphold refused so does not claim its correction
 * went out); an uphold held back is recorded
 * without moving the objection; and the upheld objections whose license has a version after the
 * correction are found for `status` (`correctionSuperseded`).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, PG_URL, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate, uniqueName } from '../ledger/fixtures.js';

describe.each(BACKENDS)('objection decisions in the ledger ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let other: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    // A second ledger on the same database: a second operator's command.
    other = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await other?.close();
    await ledger?.close();
    await database?.dispose();
  });

  async function write(pipeline: string, content: string): Promise<string> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const c = candidate({ n: 1, pipeline, content });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '1' }),
      rowsRead: 1,
      candidates: [c],
      quarantined: [],
    });
    return c.licenseId;
  }

  const attempts = async (licenseId: string) =>
    (await ledger.readAudit({ limit: 10_000 }))
      .filter((e) => e.licenseId === licenseId && e.action.startsWith('objection'))
      .map((e) => {
        const d = JSON.parse(e.detail) as Record<string, unknown>;
        return [e.action, d.step ?? d.result, d.stateFound ?? null, d.correctedVersion ?? null];
      });

  it('of two decisions at once one stands; the other is refused and recorded', async () => {
    const pipeline = uniqueName('p');
    const licenseId = await write(pipeline, 'a');
    const o = await ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:a' });
    await write(pipeline, 'b');
    const settled = await Promise.allSettled([
      ledger.resolveObjection({
        objectionId: o.objectionId,
        outcome: 'upheld',
        note: 'corrected',
        actor: 'operator:a',
        correctedVersion: 2,
      }),
      other.resolveObjection({
        objectionId: o.objectionId,
        outcome: 'rejected',
        note: 'reply',
        actor: 'operator:b',
      }),
    ]);
    const won = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const lost = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const state = won[0]?.state as string;
    expect(lost[0]).toContain(`objection: ${o.objectionId} is already ${state}`);
    const [stored] = await ledger.listObjections({ objectionId: o.objectionId });
    expect(stored?.state).toBe(state);
    expect(await attempts(licenseId)).toEqual([
      ['objection', 'open', null, null],
      ['objection', state, null, state === 'upheld' ? 2 : null],
      ['objection-attempt', 'refused', state, state === 'upheld' ? null : 2],
    ]);
    expect((await ledger.verifyAudit()).ok).toBe(true);
  });

  it('an uphold held back leaves the objection open, recorded; a correction a later version follows is found', async () => {
    const pipeline = uniqueName('p');
    const licenseId = await write(pipeline, 'a');
    const o = await ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:a' });
    await write(pipeline, 'b');
    const held = await ledger.resolveObjection({
      objectionId: o.objectionId,
      outcome: 'upheld',
      note: 'corrected',
      actor: 'operator:a',
      correctedVersion: 2,
      held: { reason: 'not-delivered', targets: [{ target: 'province', state: 'dead' }] },
    });
    expect(held).toMatchObject({ state: 'open', correctedVersion: null, resolvedAt: null });
    const audit = (await ledger.readAudit({ limit: 10_000 })).filter(
      (e) => e.licenseId === licenseId && e.action === 'objection-attempt',
    );
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({
      result: 'not-delivered',
      targets: 'province:dead',
      correctedVersion: 2,
    });

    await ledger.resolveObjection({
      objectionId: o.objectionId,
      outcome: 'upheld',
      note: 'corrected',
      actor: 'operator:a',
      correctedVersion: 2,
    });
    const superseded = async () =>
      (await ledger.listObjections({ correctionSuperseded: true, licenseId })).map((x) => x.objectionId);
    expect(await superseded()).toEqual([]);
    await write(pipeline, 'a');
    expect(await superseded()).toEqual([o.objectionId]);
  });

  it('an uphold held back on an objection resolved meanwhile is refused without saying its version went out', async () => {
    const pipeline = uniqueName('p');
    const licenseId = await write(pipeline, 'a');
    const o = await ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:a' });
    await write(pipeline, 'b');
    await other.resolveObjection({
      objectionId: o.objectionId,
      outcome: 'rejected',
      note: 'reply',
      actor: 'operator:b',
    });
    const refused = await ledger
      .resolveObjection({
        objectionId: o.objectionId,
        outcome: 'upheld',
        note: 'corrected',
        actor: 'operator:a',
        correctedVersion: 2,
        held: { reason: 'not-delivered', targets: [{ target: 'province', state: 'dead' }] },
      })
      .then(
        () => 'resolved',
        (e: Error) => e.message,
      );
    expect(refused).toContain(`objection: ${o.objectionId} is already rejected`);
    expect(refused).toContain(`version 2 of license ${licenseId}`);
    // Held back because a target has not accepted it: it did not go out everywhere.
    expect(refused).not.toContain('went out');
    expect(refused).toContain('not accepted at every target');
    expect(await attempts(licenseId)).toEqual([
      ['objection', 'open', null, null],
      ['objection', 'rejected', null, null],
      ['objection-attempt', 'refused', 'rejected', 2],
    ]);
  });

  it('an uphold waiting on a rejection still in its transaction sees it once committed', async () => {
    const pipeline = uniqueName('p');
    const licenseId = await write(pipeline, 'a');
    const o = await ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:a' });
    await write(pipeline, 'b');
    // Another decision holds the row (PostgreSQL: read committed) or the database's write lock
    // (SQLite): resolved, not yet committed.
    const held = await holdRejection(database.url, o.objectionId);
    try {
      let settled = false;
      const uphold = ledger
        .resolveObjection({
          objectionId: o.objectionId,
          outcome: 'upheld',
          note: 'corrected',
          actor: 'operator:a',
          correctedVersion: 2,
        })
        .then(
          () => 'resolved',
          (e: Error) => e.message,
        )
        .finally(() => {
          settled = true;
        });
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await held.commit();
      expect(await uphold).toContain(`objection: ${o.objectionId} is already rejected`);
    } finally {
      await held.close();
    }
    const [stored] = await ledger.listObjections({ objectionId: o.objectionId });
    expect(stored).toMatchObject({ state: 'rejected', correctedVersion: null });
    expect((await attempts(licenseId)).at(-1)).toEqual(['objection-attempt', 'refused', 'rejected', 2]);
  });
});

/** Another connection's rejection of the objection, its transaction held open until `commit`. */
async function holdRejection(
  url: string,
  objectionId: number,
): Promise<{ commit(): Promise<void>; close(): Promise<void> }> {
  const update = `update objections set state = 'rejected', resolved_at = CURRENT_TIMESTAMP where objection_id = ${Number(objectionId)} and state = 'open'`;
  if (url.startsWith('sqlite://')) {
    const db = new Database(url.slice('sqlite://'.length));
    db.exec(`begin immediate; ${update};`);
    return {
      async commit() {
        db.exec('commit');
      },
      async close() {
        if (db.inTransaction) db.exec('rollback');
        db.close();
      },
    };
  }
  const schema = new URL(url).searchParams.get('schema') as string;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`set search_path to "${schema}"`);
  await client.query('begin');
  await client.query(update);
  return {
    async commit() {
      await client.query('commit');
    },
    async close() {
      await client.end();
    },
  };
}
