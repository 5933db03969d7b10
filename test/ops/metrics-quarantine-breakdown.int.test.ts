/**
 * A scrape of /metrics reads no run's quarantine records: it exports only how many states need a
 * person (`attention` by kind), and the breakdown of a run's quarantine by reason code, read record
 * by record (each with its source key and reasons), was read whole on every scrape for a message
 * no metric shows: a backfill that quarantined millions of rows cost that much per scrape.
 * `licbridge status` still reads it and names the top reasons. Needs Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { SnapshotSource } from '../../pipelines/observability/ledger-snapshot.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { metricsSetUp, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';

describe('metrics: a run quarantining a large share', { timeout: 60_000 }, () => {
  const t = metricsSetUp();
  let reads = 0;
  /** The ledger, counting the reads of a run's quarantine records. */
  let counted: Ledger;

  beforeAll(async () => {
    const ledger = t.ledger;
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
  });

  it('a scrape counts the attention without reading the run’s quarantine records', async () => {
    reads = 0;
    const snapshot = await new SnapshotSource(t.config, counted, t.queues, quietLogger()).get();
    expect(snapshot.status?.attentionByKind['quarantine-share']).toBe(1);
    expect(reads).toBe(0);
  });

  it('status still names the top reasons', async () => {
    reads = 0;
    const report = await collectStatus(t.config, counted, t.queues, { probeSources: false });
    expect(report.attention.join('\n')).toContain(
      `pipeline ${PIPELINE}: run run-quarantining quarantined 6 of 10 row(s) read (60 %, above 5 %); top reasons: LB_MAP_DATE 6;`,
    );
    expect(reads).toBe(1);
  });
});
