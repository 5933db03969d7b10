/**
 * The light check after `licbridge run` reads the whole source: a driver's error it meets may quote
 * the value it could not read (`invalid input syntax for type integer: "王小明"`, a holder's name
 * in a key column). The run's summary (printed by `licbridge run`, text and `--json`) and the log
 * line saying the check failed hid nothing of it, where the scheduled full check's failure
 * (pipelines/reconcile/failed-check.ts) hides it. Needs Redis and PostgreSQL.
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { postgresDialect } from '../../connectors/sql/dialects/postgres/dialect.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const NAME = '王小明';
const PASSPORT = 'E12345678';
let ws: DemoWorkspace | undefined;

/** What PostgreSQL says of a key it cannot read as the column's type, as the source reports it. */
async function driverError(value: string): Promise<unknown> {
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await client.connect();
  try {
    await client.query('SELECT $1::integer', [value]);
    throw new Error('light-check-error-personal: PostgreSQL read the value as an integer');
  } catch (e) {
    return postgresDialect.classifyError(e, 'market-food');
  } finally {
    await client.end();
  }
}

let thrown: unknown;
// The light check meets the source's error; the run's own work is done and in the ledger.
vi.mock('../../pipelines/reconcile/reconcile.js', async (original) => {
  const real = await original<typeof import('../../pipelines/reconcile/reconcile.js')>();
  return {
    ...real,
    reconcilePipeline: async (...args: Parameters<typeof real.reconcilePipeline>) => {
      if (args[1].mode === 'light') throw thrown;
      return real.reconcilePipeline(...args);
    },
  };
});

afterAll(async () => {
  await ws?.cleanup();
});

it.each([
  ['a name', NAME],
  ['a passport number', PASSPORT],
])(
  'a light check failing on a driver error quoting %s shows it in neither the summary nor the log',
  {
    timeout: 120_000,
  },
  async (_what, value) => {
    thrown = await driverError(value);
    expect(String((thrown as Error).message)).toContain(value);
    ws ??= await createDemoWorkspace({ rows: 20 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const summaries = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: true,
      logger: createLogger({ level: 'info', destination: sink }),
    });
    expect(summaries[0]?.state).toBe('done');
    const check = summaries[0]?.check as { error?: string } | undefined;
    // Still says what failed, and where.
    expect(check?.error).toMatch(
      /^light check: source market-food: query failed: invalid input syntax for type integer/,
    );
    expect(JSON.stringify(summaries)).not.toContain(value);
    const failed = lines.filter((l) => l.includes('run: light check failed'));
    expect(failed).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(value);
  },
);
