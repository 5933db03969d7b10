/**
 * A deliver job whose check finds accepted the issue a revocation was dead-lettered behind queues
 * the revocation, which a deliver worker then sends: unattended, the platform ends on the revoked
 * license (pipelines/held-replay.ts, workers/held-replay-jobs.ts). Before, the revocation stayed a
 * dead letter until someone ran `licbridge dlq replay`.
 */
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DeliveryItem,
  DeliveryOutcome,
  SubmittedDelivery,
  TargetAdapter,
} from '../../adapters/platforms/target.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Ledger } from '../../ledger/ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import type { WorkerSet } from '../../pipelines/workers.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { until } from '../support/until.js';
import { type DeliveriesWaiting, deliveriesWaiting, PIPELINE } from './deliveries-waiting.js';

let fx: DeliveriesWaiting;
let ledger: Ledger;
let deliver: Queue;
let workers: WorkerSet | undefined;
const sent: string[] = [];
let verdict: 'submitted' | 'accepted' = 'submitted';

/** A platform that takes each license for review and answers each status request with `verdict`. */
const reviewing: TargetAdapter = {
  name: 'province',
  kind: 'rest-json',
  deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
    sent.push(...items.map((i) => i.key));
    return items.map((i) => ({ key: i.key, state: verdict }));
  },
  poll: async (refs: readonly SubmittedDelivery[]): Promise<DeliveryOutcome[]> =>
    refs.map((r) => ({ key: r.key, state: verdict })),
  close: async () => undefined,
};

beforeAll(async () => {
  fx = await deliveriesWaiting({ rows: 1, runId: 'held-replay-run' });
  deliver = fx.deliver;
  ledger = await fx.rt.ledger();
  await fx.takeOver(reviewing);
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await fx?.close();
});

describe('a revocation dead-lettered behind its issue under review', () => {
  it('is queued and sent once a deliver job finds the issue accepted', async () => {
    const sealId = sealIdOf(fx.config, fx.rt.pipelineConfig(PIPELINE));
    const commit = signedRuns(() => ledger, PIPELINE, sealId);
    const [v1] = await commit([candidate({ n: 1, pipeline: PIPELINE, prefix: 'held-replay' })]);
    await deliverVersions(reviewing, sealId, ledger, [v1 as number]);
    const [v2] = await commit([
      candidate({ n: 1, pipeline: PIPELINE, prefix: 'held-replay', status: 'revoked' }),
    ]);
    const versionIds = [v1 as number, v2 as number];
    const checked = await deliverVersions(reviewing, sealId, ledger, versionIds);
    expect(
      await endDeferrals(ledger, 'province', checked, { deferrals: 200, final: true, versionIds }),
    ).toMatchObject({ dead: 1, held: 1 });
    const [, revocation] = await ledger.ensureDeliveries(versionIds, 'province');
    const key = revocation?.key ?? '';
    expect(sent).not.toContain(key);

    // The platform accepts the issue; a deliver job holding it (a sweep's, say) asks.
    verdict = 'accepted';
    await deliver.add('deliver', {
      pipeline: PIPELINE,
      runId: 'held-replay-run',
      target: 'province',
      versionIds: [v1 as number],
    });
    workers = fx.start(['deliver']);
    await until(async () => (await ledger.getDeliveries([key]))[0]?.state === 'accepted', 30_000);
    expect(sent.filter((k) => k === key)).toEqual([key]);
    expect(await ledger.listDeadLetters({ keys: [key] })).toEqual([]);
  }, 60_000);
});
