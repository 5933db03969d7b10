/**
 * `licbridge status` named a ledger that failed while it was read as Redis: a run's extract-job
 * check read the run again inside the queue probe's try, and the check for deliveries no job holds
 * read the backlog again inside the queue scan's, so a failing ledger came out as
 * `redis-unreachable` ("could not tell whether run R's extract job is still there (ledger: …)").
 * It is now the ledger's finding (`ledger-unreachable`), naming the database it failed on.
 */
import type { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { ledgerLocation } from '../../pipelines/observability/status-ledger.js';
import { lookStatus } from '../../pipelines/observability/status-look.js';
import { unqueuedDeliveries } from '../../pipelines/observability/unqueued-attention.js';
import type { QueueSet } from '../../pipelines/queues.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const lost = () =>
  new LicbridgeError(ErrorCodes.LEDGER, 'ledger: getRun failed: ECONNRESET: connection lost', {
    retryable: true,
  });

let ws: DemoWorkspace;
let config: Readonly<Config>;

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 2 });
  config = await loadConfig({ file: ws.configFile, env: {} });
}, 60_000);

afterAll(async () => {
  await ws?.cleanup();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('status when the ledger fails while it is read', () => {
  it("names it the ledger's failure, with its database, not Redis's", async () => {
    // A scheduled run whose extract job is gone: status reads the run again after the queue.
    const ledger = await openLedger(config.ledger.url, { logger: createLogger({ level: 'silent' }) });
    await ledger.startRun({ runId: 'scheduled-tick-9', pipeline: PIPELINE, mode: 'incremental' });
    await ledger.close();
    vi.spyOn(KnexLedger.prototype, 'getRun').mockRejectedValue(lost());

    const report = await lookStatus(config, createLogger({ level: 'silent' }), {
      probeSources: false,
      timeoutMs: 5000,
    });
    expect(report.attentionByKind['redis-unreachable']).toBe(0);
    expect(report.attentionByKind['ledger-unreachable']).toBe(1);
    const note = report.attention.find((a) => a.startsWith('ledger: not reachable'));
    expect(note).toContain('ledger: getRun failed: ECONNRESET: connection lost');
    expect(note).toContain(ledgerLocation(config.ledger.url));
    expect(ledgerLocation(config.ledger.url)).toContain(`${ws.dir}/data/ledger.db`);
  });

  it('the check for deliveries no job holds names a failing ledger too', async () => {
    const failing = {
      pipelineBacklog: () => Promise.reject(lost()),
      undeliveredVersionIds: () => Promise.reject(lost()),
    } as unknown as Ledger;
    const queues = { extract: {}, sign: {}, deliver: new Map() } as unknown as QueueSet;
    const idle = {
      name: 'deliver-province',
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 0,
      completed: 0,
      prioritized: 0,
      workers: 1,
      paused: false,
    };
    const notes = await unqueuedDeliveries(
      config,
      failing,
      [{ pipeline: PIPELINE, awaitingDelivery: { province: 3 } }],
      [idle],
      queues as QueueSet & { extract: Queue },
      5000,
    );
    expect(notes.map((n) => n.kind)).toEqual(['ledger-unreachable']);
    expect(notes[0]?.message).toContain(ledgerLocation(config.ledger.url));
  });
});

describe('the ledger as status names it', () => {
  it('masks a PostgreSQL password and leaves out the query', () => {
    expect(ledgerLocation('postgres://lb:s3cret@db01:5433/ledger?schema=lb&sslrootcert=/k/ca.pem')).toBe(
      'postgres://lb:***@db01:5433/ledger (schema lb)',
    );
    expect(ledgerLocation('sqlite:///var/lib/licbridge/ledger.db')).toBe(
      'sqlite:///var/lib/licbridge/ledger.db',
    );
  });
});
