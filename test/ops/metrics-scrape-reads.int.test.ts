/**
 * A scrape of `/metrics` reads the ledger's whole-table counts once: the deliveries grouped by
 * pipeline, target and state (a join of every delivery with its version) and each pipeline's
 * versions awaiting a signature. The status behind `attention` needs them too, and read them
 * again, so every scrape joined the two largest tables of a ledger twice.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { opsConfig, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

/** `ledger` with every call of the methods named counted. */
function counted(ledger: Ledger, calls: Map<string, number>): Ledger {
  return new Proxy(ledger, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(name), (calls.get(String(name)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
}

function series(text: string, prefix: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(prefix));
}

describe('/metrics: the ledger read once a scrape', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let queues: QueueSet;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40 });
    ({ config } = await opsConfig(ws, 'reads.yaml', 'metrics: { cacheMs: 0, lagIntervalMs: 0 }\n'));
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
    // Three versions signed by another seal only: awaiting a signature by the pipeline's.
    const db = new Database(`${ws.dir}/data/ledger.db`);
    try {
      db.prepare(
        "update signatures set seal_id = 'another-seal' where version_id in (select version_id from signatures order by version_id limit 3)",
      ).run();
    } finally {
      db.close();
    }
    ledger = await openLedger(config.ledger.url);
    queues = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
  }, 120_000);
  afterAll(async () => {
    await queues?.close();
    await ledger?.close();
    await ws?.cleanup();
  });

  it('scans the deliveries and the versions awaiting a signature once, and shows what the ledger holds', async () => {
    const calls = new Map<string, number>();
    const metrics = createMetrics({ config, ledger: counted(ledger, calls), queues, logger: quietLogger() });
    const text = await metrics.registry.metrics();
    // The versions awaiting a signature are the status's backlog's count, not read again by the
    // scrape (the unqueued-work check reads a backlog once more, after the queues, on purpose).
    const n = (m: string) => calls.get(m) ?? 0;
    expect({ deliveries: n('deliveryCounts'), awaitingSignature: n('awaitingSignature') }).toEqual({
      deliveries: 1,
      awaitingSignature: 0,
    });
    const delivered = (await ledger.deliveryCounts())
      .filter((d) => d.state === 'accepted')
      .reduce((n, d) => n + d.count, 0);
    expect(delivered).toBeGreaterThan(0);
    expect(series(text, 'licbridge_deliveries{')).toContain(
      `licbridge_deliveries{pipeline="${PIPELINE}",target="province",state="accepted"} ${delivered}`,
    );
    expect(series(text, 'licbridge_awaiting_signature{')).toEqual([
      `licbridge_awaiting_signature{pipeline="${PIPELINE}"} 3`,
    ]);
    expect(series(text, 'licbridge_attention{kind="dead-letters"}')).toEqual([
      'licbridge_attention{kind="dead-letters"} 0',
    ]);
  });

  it('a status that cannot be read leaves the versions awaiting a signature counted by the ledger', async () => {
    const calls = new Map<string, number>();
    const failing = new Proxy(counted(ledger, calls), {
      get(target, name, receiver) {
        if (name === 'pipelineBacklog') return () => Promise.reject(new Error('backlog read failed'));
        return Reflect.get(target, name, receiver);
      },
    });
    const metrics = createMetrics({ config, ledger: failing, queues, logger: quietLogger() });
    const text = await metrics.registry.metrics();
    expect(calls.get('awaitingSignature')).toBe(1);
    expect(series(text, 'licbridge_awaiting_signature{')).toEqual([
      `licbridge_awaiting_signature{pipeline="${PIPELINE}"} 3`,
    ]);
  });
});
