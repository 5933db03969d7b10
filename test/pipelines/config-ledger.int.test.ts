/**
 * `ledger.busyTimeoutMs`, `ledger.retryBudgetMs` and `ledger.queryTimeoutMs` hold for every command that opens the config's
 * ledger, not only for a run's Runtime: a dead-letter replay, a batch sign, status and the others
 * open it through pipelines/config-ledger.ts. Opened with the URL alone, a write meeting another
 * process's lock waited out SQLite's default 5 s and retried for 120 s whatever the config said.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { isLicbridgeError } from '../../core/errors.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { withLedger } from '../../pipelines/with-ledger.js';
import { PG_URL, postgresBackend, quietLogger } from '../ledger/backends.js';
import { holdWriteLock } from '../ledger/hold-write-lock.js';
import { startPgSilencer, throughSilencer } from '../ledger/pg-silencer.js';
import { ROOT } from '../support/cli.js';
import { outcomeWithin } from '../support/silent-proxy.js';

describe("the config's ledger settings", () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-config-ledger-'));
    file = join(dir, 'ledger.db');
    await (await openLedger(`sqlite://${file}`, { logger: quietLogger })).close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("a command's ledger meets another process's lock under the config's busy timeout and budget", async () => {
    const config = {
      ledger: { url: `sqlite://${file}`, retryBudgetMs: 0, busyTimeoutMs: 50 },
    } as unknown as Config;
    // The lock taken once the command's ledger is open (opening waits for a starting process's
    // lock on purpose) and held 8 s at most: with SQLite's default wait and retry budget the write
    // would outwait it and succeed; with the config's (50 ms, no retry) it is busy at once.
    let other: { release(): Promise<unknown> } | undefined;
    try {
      const error = await withLedger(
        config,
        async (ledger) => {
          other = await holdWriteLock(file, 8000);
          await ledger.startRun({ runId: 'blocked', pipeline: 'p', mode: 'incremental' });
        },
        { logger: quietLogger },
      ).catch((e: unknown) => e);
      expect(isLicbridgeError(error) && error.code === 'LB_LEDGER' && error.retryable).toBe(true);
      expect(String((error as Error).message)).toMatch(/SQLITE_BUSY/);
    } finally {
      await other?.release();
    }
  }, 30_000);

  it("a command's PostgreSQL ledger that goes silent fails under the config's query timeout", async () => {
    const database = await postgresBackend.create();
    const silencer = await startPgSilencer(new URL(PG_URL));
    try {
      const config = {
        ledger: { url: throughSilencer(database.url, silencer), retryBudgetMs: 0, queryTimeoutMs: 500 },
      } as unknown as Config;
      // With the default (60 s) the read would still be waiting when this looks.
      const outcome = await outcomeWithin(
        20_000,
        withLedger(
          config,
          async (ledger) => {
            silencer.silence();
            await ledger.getRun('any');
          },
          { logger: quietLogger },
        ),
      );
      expect(isLicbridgeError(outcome) && outcome.code === 'LB_LEDGER' && outcome.retryable).toBe(true);
      expect(String((outcome as Error).message)).toMatch(
        /ETIMEDOUT: the database did not answer within 500 ms/,
      );
    } finally {
      await silencer.close();
      await database.dispose();
    }
  }, 60_000);

  it('is opened through openConfigLedger by every command', () => {
    const offenders: string[] = [];
    const walk = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && /\bopenLedger\(/.test(readFileSync(path, 'utf8')))
          offenders.push(relative(ROOT, path));
      }
    };
    for (const folder of ['pipelines', 'cli']) walk(join(ROOT, folder));
    expect(offenders).toEqual(['pipelines/config-ledger.ts']);
  });
});
