/**
 * `licbridge schedule` with a cron expression that has the shape of one but names no time that
 * exists (`0 0 31 4 *`, April 31st; `0 25 * * *`): the config check lets it through (five fields),
 * and BullMQ refused it only when its turn came — after the pipelines before it were registered and
 * before stale schedules were removed — with a message that named no pipeline. The whole set is
 * now checked first: the error names each bad expression where the config holds it, and Redis is
 * left as it was.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { isLicbridgeError } from '../../core/errors.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { SCHEDULER_PREFIX, syncSchedules } from '../../pipelines/schedules.js';
import { obliterate } from '../support/demo-workspace.js';

const config = (pipelines: Record<string, string | undefined>, extra: Record<string, unknown> = {}) =>
  ({
    pipelines: Object.fromEntries(Object.entries(pipelines).map(([name, schedule]) => [name, { schedule }])),
    reconcile: {},
    lifecycle: {},
    ...extra,
  }) as unknown as Config;

describe('schedule: a cron expression no time matches', () => {
  const prefix = `test-${randomUUID()}`;
  let queues: QueueSet;
  beforeAll(async () => {
    queues = createQueues(queueConnection('redis://127.0.0.1:6379'), prefix, []);
    // Installed by an earlier `licbridge schedule`: `gone` has since lost its schedule.
    await syncSchedules(config({ gone: '*/5 * * * *', kept: '0 2 * * *' }), queues);
  });
  afterAll(async () => {
    await queues.close();
    // Every key of the prefix: obliterating the three queues left the sign queue's meta and the
    // schedules' own key (extract:licbridge-schedules) behind in the shared Redis.
    await obliterate(prefix);
  });

  const ids = async () =>
    (await queues.extract.getJobSchedulers(0, -1)).map((s) => [s.key, s.pattern]).sort();

  it('names every bad expression by its config path and changes nothing in Redis', async () => {
    const before = await ids();
    const e = await syncSchedules(
      config({ kept: '0 3 * * *', april: '0 0 31 4 *', late: '0 25 * * *', fine: '*/15 * * * *' }),
      queues,
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isLicbridgeError(e)).toBe(true);
    expect((e as { code: string }).code).toBe('LB_CONFIG_INVALID');
    const message = (e as Error).message;
    expect(message).toContain('pipelines.april.schedule');
    expect(message).toContain('0 0 31 4 *');
    expect(message).toContain('pipelines.late.schedule');
    expect(message).not.toContain('pipelines.fine.schedule');
    expect(await ids()).toEqual(before);
  });

  it('names the config file that holds the bad expression', async () => {
    const e = await syncSchedules(
      { ...config({ kept: '0 2 * * *', april: '0 0 31 4 *' }), file: '/etc/licbridge/licbridge.yaml' },
      queues,
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect((e as Error).message).toContain('/etc/licbridge/licbridge.yaml: `pipelines.april.schedule`');
  });

  it('checks the full check and the lifecycle tick too', async () => {
    const e = await syncSchedules(
      config(
        { kept: '0 2 * * *' },
        { reconcile: { schedule: '0 0 30 2 *' }, lifecycle: { schedule: '61 0 * * *' } },
      ),
      queues,
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect((e as Error).message).toContain('reconcile.schedule');
    expect((e as Error).message).toContain('lifecycle.schedule');
  });

  it('a valid set is installed and the stale one removed, as before', async () => {
    const result = await syncSchedules(config({ kept: '0 3 * * *' }), queues);
    expect(result.removed.sort()).toEqual([`reconcile-gone`, `${SCHEDULER_PREFIX}gone`]);
    expect(await ids()).toEqual([[`${SCHEDULER_PREFIX}kept`, '0 3 * * *']]);
  });
});
