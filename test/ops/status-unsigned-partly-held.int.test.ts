/**
 * `licbridge status` names the versions awaiting the seal that no job holds (`delivery-unqueued`)
 * as the recovery of unsigned versions finds them (a run's extraction at its end, the start of a
 * `licbridge run`, the lifecycle tick): a sign job of the pipeline holds only its own versions.
 * The note said nothing while any one sign job of the pipeline waited (one waiting out a signing
 * server's Retry-After), though every other unsigned version lost with its job was queued by the
 * next run and went unnamed until then.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealIdOf } from '../../config/seal-id.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from '../pipelines/deliveries-waiting.js';

let fx: DeliveriesWaiting;

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 6, runId: 'first-run' });
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

/** The `delivery-unqueued` notes of `licbridge status` about versions awaiting the seal. */
async function unsignedNotes(): Promise<string[]> {
  const status = await collectStatus(fx.config, await fx.rt.ledger(), fx.queues, { probeSources: false });
  return status.attention.filter((a) => a.includes('await the signature of seal'));
}

describe('status beside a sign job of the pipeline that holds part of what is unsigned', () => {
  it('names the unsigned versions no sign job holds while one waits out a Retry-After', async () => {
    await fx.loseJobs();
    // Three versions lose their signatures as if their sign jobs never ran.
    const db = new Database(join(fx.ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(
        'delete from signatures where version_id in (select version_id from license_versions order by version_id limit 3)',
      ).run();
    } finally {
      db.close();
    }
    const p = fx.rt.pipelineConfig(PIPELINE);
    const sealId = sealIdOf(fx.config, p);
    const unsigned = await (await fx.rt.ledger()).unsignedVersionIds({ sealId, pipeline: PIPELINE });
    expect(unsigned).toHaveLength(3);
    const [deferred, ...lost] = unsigned as [number, ...number[]];
    await fx.queues.sign.add(
      'sign',
      { pipeline: PIPELINE, runId: 'first-run', versionIds: [deferred] },
      { jobId: 'sign-deferred', delay: 3_600_000 },
    );

    expect(await unsignedNotes()).toEqual([
      expect.stringContaining(
        `pipeline ${PIPELINE}: ${lost.length} version(s) await the signature of seal ${sealId} and no job holds them`,
      ),
    ]);

    // Held by sign jobs of the pipeline, each of them: nothing to name.
    await fx.queues.sign.add(
      'sign',
      { pipeline: PIPELINE, runId: 'first-run', versionIds: lost },
      { delay: 3_600_000 },
    );
    expect(await unsignedNotes()).toEqual([]);
    await fx.loseJobs();
  });
});
