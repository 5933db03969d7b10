/**
 * Ledger calls ride out a busy or unreachable database: an error that may pass (SQLite busy past
 * its busy timeout, a lost PostgreSQL connection) is retried with backoff for up to the retry
 * budget, as a whole unit; one that cannot pass fails at once. (A PostgreSQL outage mid-run is in
 * test/pipelines/ledger-outage.int.test.ts.)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { ROOT } from '../support/cli.js';

/**
 * The ledger's SQLite busy timeout here (`ledger.busyTimeoutMs`, 5 s by default): short, so that
 * a lock held past it takes a second, not six. The wait blocks the thread either way.
 */
const BUSY_MS = 200;

/**
 * Another process takes SQLite's write lock on `file` and commits after `ms`; resolves once it
 * holds the lock, with the process's exit. Its own process, because better-sqlite3 waits out a
 * busy timeout synchronously: a timer in the test process could not release the lock while the
 * ledger's write blocks the thread.
 */
async function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<unknown> }> {
  const script = `const db = new (require('better-sqlite3'))(process.argv[1]);
db.prepare('BEGIN IMMEDIATE').run();
process.stdout.write('locked\\n');
setTimeout(() => { db.prepare('COMMIT').run(); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const released = once(child, 'exit');
  await once(child.stdout, 'data');
  return { released };
}

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
    // Another process's writer: holds the lock for longer than the ledger's busy timeout.
    const other = await holdWriteLock(file, 5 * BUSY_MS);
    await ledger.startRun({ runId: 'busy-run', pipeline: 'p', mode: 'incremental' });
    await other.released;
    expect((await ledger.getRun('busy-run'))?.state).toBe('running');
    // The write did meet the lock past its busy timeout, and was tried again.
    const retried = lines.map((l) => JSON.parse(l) as { msg: string; op?: string; error?: string });
    expect(retried.filter((l) => l.msg === 'ledger: unavailable; retrying')).toContainEqual(
      expect.objectContaining({ op: 'startRun', error: expect.stringMatching(/SQLITE_BUSY/) }),
    );
  }, 30_000);

  it('gives up after the budget, with a retryable ledger error', async () => {
    const impatient = await openLedger(`sqlite://${file}`, { retryBudgetMs: 0, busyTimeoutMs: BUSY_MS });
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const error = await impatient
        .startRun({ runId: 'never', pipeline: 'p', mode: 'incremental' })
        .catch((e: unknown) => e);
      expect(isLicbridgeError(error) && error.code === 'LB_LEDGER' && error.retryable).toBe(true);
      expect(String((error as Error).message)).toMatch(/SQLITE_BUSY/);
    } finally {
      other.prepare('COMMIT').run();
      other.close();
      await impatient.close();
    }
  }, 30_000);
});
