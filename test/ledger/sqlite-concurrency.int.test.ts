/**
 * Several writers on one SQLite ledger file — a CLI run beside workers, or two workers — must
 * wait for each other, never fail with SQLITE_BUSY.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from './backends.js';
import { candidates, signature, uniqueName } from './fixtures.js';

describe('ledger on one SQLite file with concurrent writers', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await sqliteBackend.create();
  });

  afterAll(async () => {
    await database?.dispose();
  });

  async function writePages(
    ledger: Ledger,
    pipeline: string,
    pages: number,
    perPage: number,
  ): Promise<number[]> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    const ids: number[] = [];
    for (let p = 0; p < pages; p++) {
      const result = await ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: String(p) }),
        rowsRead: perPage + 1,
        candidates: candidates(p * perPage + 1, perPage, { pipeline }),
        quarantined: [{ sourceKey: `q-${p}`, reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }] }],
      });
      ids.push(...result.created.map((c) => c.versionId));
      await ledger.recordSignatures(result.created.map((c) => signature(c.versionId, 'seal')));
      await ledger.ensureDeliveries(
        result.created.map((c) => c.versionId),
        'province',
      );
    }
    await ledger.finishRun(runId, { state: 'done' });
    return ids;
  }

  it('two ledgers in one process interleave their transactions without SQLITE_BUSY', async () => {
    const [a, b] = await Promise.all([
      openLedger(database.url, { logger: quietLogger }),
      openLedger(database.url, { logger: quietLogger }),
    ]);
    try {
      const pa = uniqueName('pa');
      const pb = uniqueName('pb');
      const [idsA, idsB] = await Promise.all([writePages(a, pa, 20, 50), writePages(b, pb, 20, 50)]);
      expect(idsA).toHaveLength(1000);
      expect(idsB).toHaveLength(1000);
      // Each ledger sees the other's writes.
      expect(await a.getCheckpoint(pb)).toEqual(encodeKeyPosition({ cursor: null, key: '19' }));
      expect(await b.getVersions(idsA.slice(0, 3))).toHaveLength(3);
      expect(await a.unsignedVersionIds({ sealId: 'seal', pipeline: pb })).toEqual([]);
      expect((await b.lastRun(pa))?.read).toBe(1020);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('waits for another process holding the write lock instead of failing', async () => {
    const ledger = await openLedger(database.url, { logger: quietLogger });
    const file = database.url.slice('sqlite://'.length);
    // Another process takes the write lock again and again and holds it while it spins. Its own
    // wait is long: this ledger commits page after page without a pause, and SQLite's busy
    // handler polls rather than queues, so on a loaded machine the other process can go seconds
    // without its turn. What is tested is that this side waits, not how long that side does.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.env.LB_DB);
      db.pragma('busy_timeout = 120000');
      const upsert = db.prepare("insert into checkpoints (pipeline, state, updated_at) values ('child', ?, ?) on conflict (pipeline) do update set state = excluded.state");
      process.stdout.write('ready\\n');
      for (let i = 0; i < 60; i++) {
        db.exec('begin immediate');
        upsert.run(JSON.stringify({ v: 1, cursor: null, key: String(i) }), new Date().toISOString());
        const until = Date.now() + 15;
        while (Date.now() < until) {}
        db.exec('commit');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
      }
      db.close();
    `;
    const child: ChildProcess = spawn(process.execPath, ['-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, LB_DB: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let childErr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      childErr += chunk.toString();
    });
    const exited = once(child, 'exit');
    try {
      await once(child.stdout!, 'data');
      const pipeline = uniqueName('px');
      let childDone = false;
      void exited.then(() => {
        childDone = true;
      });
      const runId = uniqueName('run');
      await ledger.startRun({ runId, pipeline, mode: 'full' });
      let page = 0;
      // Keep committing for as long as the other process keeps taking the lock.
      while (!childDone) {
        await ledger.commitPage({
          pipeline,
          runId,
          checkpoint: encodeKeyPosition({ cursor: null, key: String(page) }),
          rowsRead: 20,
          candidates: candidates(page * 20 + 1, 20, { pipeline }),
          quarantined: [],
        });
        page++;
        // better-sqlite3 settles every query in microtasks: let the child's exit event through.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const [code] = (await exited) as [number | null];
      expect(code, childErr).toBe(0);
      expect(page).toBeGreaterThan(0);
      expect((await ledger.getRun(runId))?.created).toBe(page * 20);
      expect(await ledger.getCheckpoint('child')).toEqual(encodeKeyPosition({ cursor: null, key: '59' }));
    } finally {
      if (child.exitCode === null) child.kill();
      await ledger.close();
    }
  });
});
