/**
 * A source's error may quote the value it could not read, a checkpoint's key among them, and the
 * key column may hold a holder's name or passport number, which no shape tells. `status` and the
 * lag probe of `licbridge serve` (its log line, and the failure it keeps for `status` and /metrics)
 * masked resident ID and mobile numbers only: `invalid input syntax for type integer: "王小明"`
 * was shown whole. The quoted value is hidden now, as the CLI hides it: both show the error as
 * failureMessage (core/errors.ts) makes it. Needs PostgreSQL.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { startLagProbe } from '../../pipelines/observability/lag-probe.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const VALUES = [
  ['a name', '王小明'],
  ['a passport number', 'E12345678'],
] as const;

/** What PostgreSQL says of a key it cannot read as the column's type, as the source reports it. */
async function driverError(value: string): Promise<Error> {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  try {
    await client.query('SELECT $1::integer', [value]);
    throw new Error('status-source-error-quoted: PostgreSQL read the value as an integer');
  } catch (e) {
    return postgresDialect.classifyError(e, 'market-food');
  } finally {
    await client.end();
  }
}

let thrown: Error | undefined;
vi.mock('../../connectors/open-source.js', () => ({
  openSource: async () => ({
    checkConnection: async () => {
      throw thrown;
    },
    close: async () => undefined,
  }),
}));

describe.each(VALUES)('a source error quoting %s', (_what, value) => {
  let ws: DemoWorkspace;
  let error: Error;
  beforeAll(async () => {
    error = await driverError(value);
    expect(error.message).toContain(value);
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => ws?.cleanup());

  it('is hidden in the lag probe log line and in the failure it keeps', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
    });
    const config = {
      sources: { legacy: { kind: 'sqlite', path: ':memory:' } },
      pipelines: { [PIPELINE]: { source: 'legacy', stream: { table: 't', key: 'id' } } },
      metrics: { lagIntervalMs: 0, lagLimit: 100 },
    } as unknown as Config;
    const ledger = { getCheckpoint: async () => null } as unknown as Ledger;
    const probe = startLagProbe(
      config,
      ledger,
      async () => {
        throw error;
      },
      logger,
    );
    try {
      await probe.measure();
    } finally {
      probe.close();
    }
    const logged = lines.join('');
    expect(logged).toContain('metrics: lag not measured');
    expect(logged).toContain('invalid input syntax for type integer');
    expect(logged).not.toContain(value);
    const kept = probe.failures().get(PIPELINE) ?? '';
    expect(kept).toContain('query failed: invalid input syntax for type integer: "***"');
    expect(kept).not.toContain(value);
  });

  it.each([
    ['probed here', () => ({ timeoutMs: 1000 })],
    [
      'measured by the lag probe',
      () => ({ probeSources: false, knownLagErrors: new Map([[PIPELINE, thrown?.message ?? '']]) }),
    ],
  ])('is hidden by status when %s', async (_how, options) => {
    thrown = error;
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const ledger = await openLedger(config.ledger.url);
    try {
      const report = await collectStatus(config, ledger, { error: 'down' }, options());
      const out = JSON.stringify(report);
      expect(out).toContain('query failed: invalid input syntax for type integer');
      expect(out).not.toContain(value);
    } finally {
      await ledger.close();
    }
  });
});
