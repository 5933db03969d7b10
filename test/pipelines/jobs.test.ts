// The one module that makes jobs (pipelines/jobs.ts): how versions are cut into jobs, their ids
// (stable, so a re-enqueue after a crash is a no-op while the first job exists), and a deliver
// job's attempts and backoff from its target's config.
import { describe, expect, it } from 'vitest';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { DELIVER_BACKOFF } from '../../pipelines/delivery-policy.js';
import { deliverJobOptions, enqueueDeliver, enqueueExtract, enqueueSign } from '../../pipelines/jobs.js';
import type { QueueSet } from '../../pipelines/queues.js';

interface Added {
  queue: string;
  name: string;
  data: Record<string, unknown>;
  opts: Record<string, unknown>;
}

function fakeQueues(targets: string[]): { queues: QueueSet; added: Added[] } {
  const added: Added[] = [];
  const queue = (name: string) => ({
    add: async (jobName: string, data: Record<string, unknown>, opts: Record<string, unknown>) => {
      added.push({ queue: name, name: jobName, data, opts });
    },
  });
  const queues = {
    extract: queue('extract'),
    sign: queue('sign'),
    deliver: new Map(targets.map((t) => [t, queue(`deliver-${t}`)])),
  } as unknown as QueueSet;
  return { queues, added };
}

const config = {
  targets: {
    province: { kind: 'rest-json', attempts: 7, backoffMs: 1500 },
    sms: { kind: 'notify' },
  },
  signers: { district: { kind: 'local-sm2', sealId: 'seal-01' }, plain: { kind: 'local-sm2' } },
} as unknown as Config;

describe('jobs', () => {
  it('cuts versions into jobs of `chunk`, named by kind, tag and the part', async () => {
    const { queues, added } = fakeQueues([]);
    const n = await enqueueSign(
      queues,
      { pipeline: 'food', runId: 'r1', versionIds: [1, 2, 3, 4, 5] },
      { chunk: 2 },
    );
    expect(n).toBe(3);
    expect(added.map((a) => [a.queue, a.opts.jobId, a.data.versionIds])).toEqual([
      ['sign', expect.stringMatching(/^sign_r1_1_2_2_[0-9a-f]{16}$/), [1, 2]],
      ['sign', expect.stringMatching(/^sign_r1_3_4_2_[0-9a-f]{16}$/), [3, 4]],
      ['sign', expect.stringMatching(/^sign_r1_5_5_1_[0-9a-f]{16}$/), [5]],
    ]);
    expect(added[0]?.data).toEqual({ pipeline: 'food', runId: 'r1', versionIds: [1, 2] });
  });

  it('puts a page in one job, names a recovery by its tag, and makes no job for no versions', async () => {
    const { queues, added } = fakeQueues([]);
    await enqueueSign(queues, { pipeline: 'food', runId: 'r1', versionIds: [10, 11, 12] });
    await enqueueSign(queues, { pipeline: 'food', runId: 'r1', versionIds: [13] }, { tag: 'r1-recover' });
    expect(await enqueueSign(queues, { pipeline: 'food', runId: 'r1', versionIds: [] })).toBe(0);
    expect(added.map((a) => a.opts.jobId)).toEqual([
      expect.stringMatching(/^sign_r1_10_12_3_[0-9a-f]{16}$/),
      expect.stringMatching(/^sign_r1-recover_13_13_1_[0-9a-f]{16}$/),
    ]);
  });

  it("gives deliver jobs their target's attempts and backoff, and none to a target without a queue", async () => {
    const { queues, added } = fakeQueues(['province']);
    expect(
      await enqueueDeliver(config, queues, 'province', { pipeline: 'food', runId: 'r2', versionIds: [4, 9] }),
    ).toBe(1);
    expect(
      await enqueueDeliver(config, queues, 'city', { pipeline: 'food', runId: 'r2', versionIds: [4] }),
    ).toBe(0);
    expect(added).toEqual([
      {
        queue: 'deliver-province',
        name: 'deliver',
        data: { pipeline: 'food', runId: 'r2', target: 'province', versionIds: [4, 9] },
        opts: {
          jobId: expect.stringMatching(/^deliver-province_r2_4_9_2_[0-9a-f]{16}$/),
          attempts: 7,
          backoff: { type: DELIVER_BACKOFF, delay: 1500 },
        },
      },
    ]);
    expect(() => deliverJobOptions(config, 'sms')).toThrow('`sms` is not a delivery target in the config');
  });

  it('names an extract job by its run, or by the tag a recovery gives', async () => {
    const { queues, added } = fakeQueues([]);
    await enqueueExtract(queues, { pipeline: 'food', runId: 'r3', full: true });
    await enqueueExtract(queues, { pipeline: 'food', runId: 'r3', full: false }, 'r3-sweep');
    expect(added.map((a) => [a.opts.jobId, a.data.full])).toEqual([
      ['extract_r3', true],
      ['extract_r3-sweep', false],
    ]);
  });

  it("records signatures under the signer's sealId, else its name", () => {
    expect(sealIdOf(config, { signer: 'district' })).toBe('seal-01');
    expect(sealIdOf(config, { signer: 'plain' })).toBe('plain');
  });
});
