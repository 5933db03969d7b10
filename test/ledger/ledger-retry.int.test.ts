/**
 * Ledger calls ride out a busy or unreachable database: an error that may pass (SQLite busy past
 * its busy timeout, a lost PostgreSQL connection) is retried with backoff for up to the retry
 * budget, as a whole unit; one that cannot pass fails at once. (A PostgreSQL outage mid-run is in
 * test/pipelines/ledger-outage.int.test.ts.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { holdWriteLock } from './hold-write-lock.js';

/**
 * The ledger's SQLite busy timeout here (`ledger.busyTimeoutMs`, 5 s by default): short, so that
 * the write meets it at once. The wait blocks the thread either way.
 */
const BUSY_MS = 200;

describe('ledger retries', () => {
  let dir: string;
  let file: string;
  let ledger: Ledger;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'licbridge-retry-'));
    file = join(dir, 'ledger.db');
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    ledger = await openLedger(`sqlite://${file}`, {
      retryBudgetMs: 30_000,
      busyTimeoutMs: BUSY_MS,
      logger: createLogger({ level: 'warn', destination: sink }),
    });
  });
  afterAll(async () => {
    await ledger?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a write waits out another process holding SQLite’s write lock past the busy timeout', async () => {
    // Another process's writer holds the lock past the ledger's busy timeout: it lets go only once
    // the write has met SQLITE_BUSY and is being tried again.
    const other = await holdWriteLock(file);
    const retried = () =>
      lines
        .map((l) => JSON.parse(l) as { msg: string; op?: string; error?: string })
        .some(
          (l) =>
            l.msg === 'ledger: a transaction met another (a deadlock or a lock it waited for); retrying' &&
            l.op === 'startRun' &&
            /SQLITE_BUSY/.test(l.error ?? ''),
        );
    const started = ledger.startRun({ runId: 'busy-run', pipeline: 'p', mode: 'incremental' });
    // Awaited below, once the lock is let go; a failure meanwhile is not an unhandled rejection.
    let ended = false;
    started.catch(() => undefined).finally(() => (ended = true));
    try {
      for (let i = 0; i < 2000 && !ended && !retried(); i++) await new Promise((r) => setTimeout(r, 10));
      expect(retried(), 'the write met the lock past its busy timeout and was tried again').toBe(true);
    } finally {
      await other.release();
    }
    await started;
    expect((await ledger.getRun('busy-run'))?.state).toBe('running');
  }, 30_000);

  it('gives up after the budget, with a retryable ledger error', async () => {
    const impatient = await openLedger(`sqlite://${file}`, { retryBudgetMs: 0, busyTimeoutMs: BUSY_MS });
    // Held 4 s at most: under the default busy timeout (5 s) the write would outwait the lock and
    // succeed; under `busyTimeoutMs` it meets SQLITE_BUSY first, and with no budget fails there.
    const other = await holdWriteLock(file, 4000);
    try {
      const error = await impatient
        .startRun({ runId: 'never', pipeline: 'p', mode: 'incremental' })
        .catch((e: unknown) => e);
      expect(isLicbridgeError(error) && error.code === 'LB_LEDGER' && error.retryable).toBe(true);
      expect(String((error as Error).message)).toMatch(/SQLITE_BUSY/);
    } finally {
      await other.release();
      await impatient.close();
    }
  }, 30_000);
});
