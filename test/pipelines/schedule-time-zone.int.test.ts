/**
 * `licbridge schedule` hands BullMQ each cron expression with `lifecycle.timeZone` as its `tz`: a
 * schedule runs at that local time whatever the zone of the host that installed it. Without it,
 * cron-parser read `30 1 * * *` in the host's zone, and on a UTC host the run came at 09:30 in
 * Beijing instead of 01:30.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../config/types.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import {
  LIFECYCLE_SCHEDULER_ID,
  RECONCILE_SCHEDULER_PREFIX,
  SCHEDULER_PREFIX,
  syncSchedules,
} from '../../pipelines/schedules.js';
import { obliterate } from '../support/demo-workspace.js';

const ZONE = 'Asia/Shanghai';

const config = (timeZone: string) =>
  ({
    pipelines: { food: { schedule: '30 1 * * *' } },
    reconcile: { schedule: '0 2 * * *' },
    lifecycle: { timeZone, schedule: '5 0 * * *' },
  }) as unknown as Config;

/** `HH:mm` of `at` on the wall clock of `zone`. */
const wallClock = (at: number, zone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);

describe('schedule: cron expressions are read in lifecycle.timeZone, not the host zone', () => {
  const prefix = `test-${randomUUID()}`;
  let queues: QueueSet;
  const hostZone = process.env.TZ;

  beforeAll(() => {
    // The host runs on UTC, eight hours from the department's clock.
    process.env.TZ = 'UTC';
    queues = createQueues(queueConnection('redis://127.0.0.1:6379'), prefix, []);
  });
  afterAll(async () => {
    await queues.close();
    // Every key of the prefix: obliterating the three queues left the sign queue's meta and the
    // schedules' own key (extract:licbridge-schedules) behind in the shared Redis.
    await obliterate(prefix);
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  /** Each scheduler's zone and the local time of its next job, as BullMQ computed them. */
  const installed = async () => {
    const out: Record<string, { tz: string | undefined; next: string; job: string }> = {};
    for (const q of [queues.extract, queues.reconcile, queues.lifecycle]) {
      const delayed = await q.getDelayed();
      for (const s of await q.getJobSchedulers(0, -1)) {
        const job = delayed.find((j) => j.repeatJobKey === s.key);
        out[s.key] = {
          tz: s.tz,
          next: wallClock(s.next ?? 0, ZONE),
          job: job ? wallClock(job.timestamp + job.delay, ZONE) : 'none',
        };
      }
    }
    return out;
  };

  it('installs every schedule in the configured zone: the next run is at the configured local time', async () => {
    expect(new Date(Date.UTC(2026, 0, 1)).getHours()).toBe(0); // the host zone really is UTC
    await syncSchedules(config(ZONE), queues);
    expect(await installed()).toEqual({
      [`${SCHEDULER_PREFIX}food`]: { tz: ZONE, next: '01:30', job: '01:30' },
      [`${RECONCILE_SCHEDULER_PREFIX}food`]: { tz: ZONE, next: '02:00', job: '02:00' },
      [LIFECYCLE_SCHEDULER_ID]: { tz: ZONE, next: '00:05', job: '00:05' },
    });
  });

  it('moves a schedule installed in the host zone to the configured one on the next sync', async () => {
    // As an earlier `licbridge schedule` left it: no zone, so 01:30 on the UTC host.
    await queues.extract.upsertJobScheduler(
      `${SCHEDULER_PREFIX}food`,
      { pattern: '30 1 * * *' },
      { name: 'extract', data: { pipeline: 'food', runId: '', full: false } },
    );
    expect((await installed())[`${SCHEDULER_PREFIX}food`]?.next).toBe('09:30');
    await syncSchedules(config(ZONE), queues);
    expect((await installed())[`${SCHEDULER_PREFIX}food`]).toEqual({ tz: ZONE, next: '01:30', job: '01:30' });
  });

  it('another configured zone moves the same expression with it', async () => {
    await syncSchedules(config('Asia/Urumqi'), queues);
    // 01:30 in Urumqi (UTC+6) is 03:30 in Beijing.
    expect((await installed())[`${SCHEDULER_PREFIX}food`]).toEqual({
      tz: 'Asia/Urumqi',
      next: '03:30',
      job: '03:30',
    });
  });

  it('reports the next times the schedulers hold, to the millisecond', async () => {
    // The job BullMQ returns is stamped when the reply came, its delay counted from when the
    // request left: time plus delay missed the tick by the round trip (17:59:59.738Z for 18:00Z),
    // and `licbridge schedule` printed that. Each reading of the clock here is a quarter second on,
    // so the round trip always shows.
    await queues.extract.removeJobScheduler(`${SCHEDULER_PREFIX}food`);
    const real = Date.now.bind(Date);
    let step = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => {
      step += 250;
      return real() + step;
    });
    const result = await syncSchedules(config(ZONE), queues).finally(() => clock.mockRestore());
    const held = async (q: QueueSet['extract'] | QueueSet['reconcile'] | QueueSet['lifecycle'], id: string) =>
      new Date((await q.getJobScheduler(id))?.next ?? 0).toISOString();
    expect(result.upserted[0]?.next).toBe(await held(queues.extract, `${SCHEDULER_PREFIX}food`));
    expect(result.checks[0]?.next).toBe(await held(queues.reconcile, `${RECONCILE_SCHEDULER_PREFIX}food`));
    expect(result.lifecycle?.next).toBe(await held(queues.lifecycle, LIFECYCLE_SCHEDULER_ID));
    expect(result.upserted[0]?.next).toMatch(/T17:30:00\.000Z$/);
  });

  it('refuses a zone this system does not know, naming the field, and installs nothing', async () => {
    const before = await installed();
    const e = await syncSchedules(config('Asia/Atlantis'), queues).then(
      () => null,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(e?.code).toBe('LB_CONFIG_INVALID');
    expect(e?.message).toContain('lifecycle.timeZone');
    expect(e?.message).toContain('Asia/Atlantis');
    expect(await installed()).toEqual(before);
  });
});
