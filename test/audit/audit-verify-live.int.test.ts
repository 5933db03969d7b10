/**
 * `audit verify` on a ledger that keeps working: entries another process appends while the walk is
 * under way are not a broken chain, and entries past the head are still named, on both backends.
 */
import knexModule from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { verifyAudit } from '../../ledger/audit.js';
import { auditHash } from '../../ledger/audit-chain.js';
import { createDb, type Db } from '../../ledger/db.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { noWriteLock } from '../../ledger/write-lock.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, uniqueName } from '../ledger/fixtures.js';

const knex = knexModule as unknown as typeof knexModule.knex;

/** A second connection to the ledger's database, as the verifying process would have. */
function connect(url: string): { db: Db; close(): Promise<void> } {
  const sqlite = url.startsWith('sqlite://');
  let k: ReturnType<typeof knex>;
  if (sqlite) {
    k = knex({
      client: 'better-sqlite3',
      connection: { filename: url.slice('sqlite://'.length) },
      useNullAsDefault: true,
    });
  } else {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') as string;
    parsed.searchParams.delete('schema');
    k = knex({ client: 'pg', connection: parsed.toString(), searchPath: [schema] });
  }
  const db = createDb({
    knex: k,
    dialect: sqlite ? 'sqlite' : 'postgres',
    maxParams: 999,
    maxRows: 500,
    log: quietLogger,
    exclusive: noWriteLock,
  });
  return { db, close: () => k.destroy() };
}

describe.each(BACKENDS)('audit verify while the ledger is written ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let other: { db: Db; close(): Promise<void> };
  const pipeline = uniqueName('live');
  let runId: string;
  let next = 1;

  const commit = async () => {
    const from = next;
    next += 3;
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: String(from) }),
      rowsRead: 3,
      candidates: candidates(from, 3, { pipeline }),
      quarantined: [],
    });
  };

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    for (let i = 0; i < 4; i++) await commit();
    other = connect(database.url);
  });
  afterAll(async () => {
    await other?.close();
    await ledger?.close();
    await database?.dispose();
  });

  it('passes when pages commit between reading the head and walking the chain', async () => {
    const before = await ledger.verifyAudit();
    expect(before.ok).toBe(true);
    let appended = 0;
    // The other process commits a page after each read the verification makes.
    const busy: Db = {
      ...other.db,
      async read(op, work) {
        const out = await other.db.read(op, work);
        if (appended < 3) {
          appended += 1;
          await commit();
        }
        return out;
      },
    };
    const during = await verifyAudit(busy, { pageSize: 2 });
    expect(appended).toBe(3);
    // Its first reads are of the runs' counts (audit-acts.ts) and of the newest acts' rows
    // (audit-latest-acts.ts), its third the head: the two pages committed before the head (a
    // `read` entry and one for its versions each) are in the chain verified, beyond the counts
    // and rows read; the one committed after the head is not.
    expect(during).toMatchObject({ ok: true, entries: before.entries + 4 });
    const after = await ledger.verifyAudit();
    expect(after.ok).toBe(true);
    if (after.ok) expect(after.entries).toBeGreaterThan(before.entries);
  });

  it('still names an entry written past the head', async () => {
    const last = (await ledger.readAudit({ limit: 100_000 })).at(-1);
    if (!last) throw new Error('no entries');
    // A well-formed entry that follows the last one, written without moving the head.
    const values = {
      seq: last.seq + 1,
      at: new Date().toISOString(),
      actor: 'operator:x',
      action: 'repair',
      license_id: null,
      version: null,
      digest: null,
      detail: '{}',
      prev_hash: last.hash,
    };
    await other.db.knex('audit_log').insert({ ...values, hash: auditHash(values) });
    const result = await ledger.verifyAudit({ pageSize: 2 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.firstBad).toMatchObject({ kind: 'head-mismatch', seq: last.seq + 1 });
  });
});
