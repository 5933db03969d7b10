/**
 * /readyz's source checks show a source's error as `status` shows it (failureMessage,
 * core/errors.ts): a value the database quoted — a holder's name, which no
 * shape masks, read from a key column — is hidden, and a passport number standing bare is masked,
 * besides ID and mobile numbers. /readyz masked only those two: `query failed: invalid input syntax
 * for type integer: "王小明"` went out whole to the authenticated client. The login a driver names
 * is still hidden, there alone (failureMessage's `hideLogins`; readyz-source-error-drivers).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { SourceConnector } from '../../connectors/source.js';
import { classifyDriverError } from '../../connectors/sql/driver-errors.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { checkReadiness } from '../../pipelines/observability/health.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';

let dir: string;
let ledger: Ledger;
let redis: Redis;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-readyz-quoted-'));
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

const NO_CODES = { auth: [], unreachable: [], noDatabase: [], schema: [], timeout: [] };

/** The source check's error on /readyz when the source fails with the driver's `message`. */
async function shown(message: string, code = '22P02'): Promise<string | undefined> {
  const config = {
    serve: { checkTimeoutMs: 3000, checkSources: true },
    sources: { hr: {} },
    pipelines: {},
    signers: {},
    targets: {},
  } as unknown as Readonly<Config>;
  // The error a SQL source throws: classifyDriverError wraps the driver's words.
  const error = classifyDriverError(Object.assign(new Error(message), { code }), 'hr', NO_CODES);
  const source = async () => ({ checkConnection: () => Promise.reject(error) }) as unknown as SourceConnector;
  const report = await checkReadiness({ config, redis, ledger, source });
  return report.checks.find((c) => c.name === 'source:hr')?.error;
}

describe('/readyz: a source error quoting a value', () => {
  it('hides a quoted name, as status does', async () => {
    const error = await shown('invalid input syntax for type integer: "王小明"');
    expect(error).toBe('source hr: query failed: invalid input syntax for type integer: "***"');
  });

  it('hides a quoted pinyin name after the words a value follows, keeping the key name', async () => {
    const error = await shown("Duplicate entry 'zhangsan' for key 'uk_holder'", 'ER_DUP_ENTRY');
    expect(error).toBe("source hr: query failed: Duplicate entry '***' for key 'uk_holder'");
  });

  it('masks a passport number standing bare', async () => {
    const error = await shown('no row after key E12345678');
    expect(error).not.toContain('E12345678');
    expect(error).toMatch(/no row after key E\*+8/);
  });

  it('still hides the login a driver names', async () => {
    const error = await shown('password authentication failed for user "app"', '28P01');
    expect(error).toBe('source hr: query failed: password authentication failed for user "***"');
  });
});
