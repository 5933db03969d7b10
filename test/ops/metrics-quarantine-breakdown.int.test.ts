/**
 * A scrape of /metrics reads no run's quarantine records: it exports only how many states need a
 * person (`attention` by kind), and the breakdown of a run's quarantine by reason code, read record
 * by record (each with its source key and reasons), was read whole on every scrape for a message
 * no metric shows: a backfill that quarantined millions of rows cost that much per scrape.
 * `licbridge status` still reads it and names the top reasons. Needs Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openConfigLedger } from '../../pipelines/config-ledger.js';
import { SnapshotSource } from '../../pipelines/observability/ledger-snapshot.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

describe('metrics: a run quarantining a large share', { timeout: 60_000 }, () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let queues: QueueSet;
  let reads = 0;
  /** The ledger, counting the reads of a run's quarantine records. */
  let counted: Ledger;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 10 });
    config = await loadConfig({ file: ws.configFile });
    ledger = await openConfigLedger(config, { logger: quietLogger() });
    const runId = 'run-quarantining';
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
    await ledger.commitPage({
      pipeline: PIPELINE,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '10' }),
      rowsRead: 10,
      candidates: [],
      quarantined: Array.from({ length: 6 }, (_, i) => ({
        sourceKey: String(i + 1),
        reasons: [{ code: 'LB_MAP_DATE', message: 'bad date' }],
      })),
    });
    await ledger.finishRun(runId, { state: 'done' });
    counted = new Proxy(ledger, {
      get(target, key) {
        if (key === 'quarantineFor') {
          return (runId: string) => {
            reads += 1;
            return target.quarantineFor(runId);
          };
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    queues = createQueues(
      queueConnection(config.queue.redis),
      config.queue.prefix,
      Object.keys(config.targets),
    );
  });
  afterAll(async () => {
    await queues?.close();
    await ledger?.close();
    await ws?.cleanup();
  });

  it('a scrape counts the attention without reading the run’s quarantine records', async () => {
    reads = 0;
    const snapshot = await new SnapshotSource(config, counted, queues, quietLogger()).get();
    expect(snapshot.status?.attentionByKind['quarantine-share']).toBe(1);
    expect(reads).toBe(0);
  });

  it('status still names the top reasons', async () => {
    reads = 0;
    const report = await collectStatus(config, counted, queues, { probeSources: false });
    expect(report.attention.join('\n')).toContain(
      `pipeline ${PIPELINE}: run run-quarantining quarantined 6 of 10 row(s) read (60 %, above 5 %); top reasons: LB_MAP_DATE 6;`,
    );
    expect(reads).toBe(1);
  });
});
