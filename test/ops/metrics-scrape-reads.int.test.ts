/**
 * A scrape of `/metrics` reads the ledger's whole-table counts once: the deliveries grouped by
 * pipeline, target and state (a join of every delivery with its version) and each pipeline's
 * versions awaiting a signature. The status behind `attention` needs them too, and read them
 * again, so every scrape joined the two largest tables of a ledger twice.
 */
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
    // The versions awaiting a signature are counted by either read (a backlog counts them first).
    const n = (m: string) => calls.get(m) ?? 0;
    expect({
      deliveries: n('deliveryCounts'),
      awaitingSignature: n('awaitingSignature') + n('pipelineBacklog'),
    }).toEqual({ deliveries: 1, awaitingSignature: 1 });
    const delivered = (await ledger.deliveryCounts())
      .filter((d) => d.state === 'accepted')
      .reduce((n, d) => n + d.count, 0);
    expect(delivered).toBeGreaterThan(0);
    expect(series(text, 'licbridge_deliveries{')).toContain(
      `licbridge_deliveries{pipeline="${PIPELINE}",target="province",state="accepted"} ${delivered}`,
    );
    expect(series(text, 'licbridge_awaiting_signature{')).toEqual([
      `licbridge_awaiting_signature{pipeline="${PIPELINE}"} 0`,
    ]);
    expect(series(text, 'licbridge_attention{kind="dead-letters"}')).toEqual([
      'licbridge_attention{kind="dead-letters"} 0',
    ]);
  });
});
