/**
 * A PostgreSQL connection lost while COMMIT's answer is on its way: the transaction committed,
 * the ledger did not hear it. Retrying it as if it had rolled back wrote it twice (a second
 * objection, a second audit entry); the ledger asks the database what became of it instead.
 */
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { PG_URL, postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { candidates, uniqueName } from './fixtures.js';

/**
 * A TCP pass-through to PostgreSQL. Once armed, the first connection that sends a COMMIT gets
 * COMMIT's answer withheld: both sides are cut when the server answers, after it has committed.
 */
async function startCommitCutter(
  upstream: URL,
): Promise<{ port: number; arm(): void; cuts: number; close(): Promise<void> }> {
  let armed = false;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const db = connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(db);
    let cutOnAnswer = false;
    client.on('data', (chunk: Buffer) => {
      // A simple query ('Q') whose text is COMMIT, as knex ends a transaction.
      if (armed && chunk[0] === 0x51 && /^COMMIT;?\0$/i.test(chunk.subarray(5).toString('latin1'))) {
        armed = false;
        cutOnAnswer = true;
      }
      db.write(chunk);
    });
    db.on('data', (chunk: Buffer) => {
      if (cutOnAnswer) {
        cuts++;
        client.destroy();
        db.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      db.destroy();
    };
    client.on('error', end).on('close', end);
    db.on('error', end).on('close', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    arm() {
      armed = true;
    },
    get cuts() {
      return cuts;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a write whose COMMIT answer is lost (postgres)', () => {
  let database: TestDatabase;
  let cutter: Awaited<ReturnType<typeof startCommitCutter>>;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await postgresBackend.create();
    cutter = await startCommitCutter(new URL(PG_URL));
    const url = new URL(database.url);
    url.port = String(cutter.port);
    ledger = await openLedger(url.toString(), { logger: quietLogger, retryBudgetMs: 30_000 });
  });
  afterAll(async () => {
    await ledger?.close();
    await cutter?.close();
    await database?.dispose();
  });

  it('is written once, and the call returns what it wrote', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '1' }),
      rowsRead: 1,
      candidates: candidates(1, 1, { pipeline }),
      quarantined: [],
    });
    const licenseId = created[0]?.licenseId as string;

    cutter.arm();
    const opened = await ledger.openObjection({ licenseId, unit: 'u', reason: 'r', actor: 'operator:test' });

    expect(cutter.cuts).toBe(1);
    const stored = await ledger.listObjections({ licenseId });
    expect(stored.map((o) => o.objectionId)).toEqual([opened.objectionId]);
  }, 60_000);
});
