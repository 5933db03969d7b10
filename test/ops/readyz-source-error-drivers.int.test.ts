/**
 * /readyz's source check shows a driver's error as `status` shows it (failureMessage,
 * test/support/driver-error-cases.ts), and hides the login the driver names besides, as
 * docs/operations.md promises of its body: the one place that hides it, through the same function
 * (its `hideLogins`), not a masking of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkReadiness } from '../../pipelines/observability/health.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { driverErrorCases, loginErrorCases } from '../support/driver-error-cases.js';

let dir: string;
let ledger: Ledger;
let redis: Redis;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-readyz-drivers-'));
  ledger = await openSqliteLedger(join(dir, 'ledger.db'), {
    logger: createLogger({ level: 'silent' }),
  });
  redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await ledger?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The source check's error on /readyz when the source's connection fails with `error`. */
async function shown(error: unknown): Promise<string | undefined> {
  const config = {
    serve: { checkTimeoutMs: 3000, checkSources: true },
    sources: { hr: {} },
    pipelines: {},
    signers: {},
    targets: {},
  } as unknown as Readonly<Config>;
  const source = async () => ({ checkConnection: () => Promise.reject(error) }) as unknown as SourceConnector;
  const report = await checkReadiness({ config, redis, ledger, source });
  return report.checks.find((c) => c.name === 'source:hr')?.error;
}

describe('/readyz: a source failing with a driver error', () => {
  for (const c of driverErrorCases()) {
    it(c.name, async () => {
      const error = await shown(c.error);
      expect(error).toBe(c.shown);
      for (const leak of c.leaks) expect(error).not.toContain(leak);
    });
  }

  for (const c of loginErrorCases()) {
    it(`hides the login: ${c.name}`, async () => {
      const error = await shown(c.error);
      expect(error).toBe(c.hidden);
      expect(error).not.toContain(c.login);
    });
  }
});
