/**
 * The lifecycle clock must tick every day. A scheduler lost with Redis (a restart without
 * persistence, a flush; a server rebooted across the tick's time) is installed again by a worker
 * (pipelines/schedule-keeper.ts), but BullMQ then schedules its next tick only: a day whose tick
 * time passed while the scheduler was gone got no tick at all, and no `status` line said so
 * (`expiry-behind` waits a day's grace, `lifecycle-tick-lost` names only ticks a worker gave up).
 * The day's expiries and reminders came a day late, silently. A worker that installs the tick
 * again once its time has come today now queues that day's tick at once, one for any number of
 * workers; a tick already done that day finds its day ticked and only queues what is owed.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { localDate } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { reinstallMissing } from '../../pipelines/schedule-keeper.js';
import { LIFECYCLE_SCHEDULER_ID, syncSchedules } from '../../pipelines/schedules.js';
import { startWorkers } from '../../pipelines/workers.js';
import { createDemoWorkspace, obliterate } from '../support/demo-workspace.js';
import { until } from '../support/until.js';

const REDIS = 'redis://127.0.0.1:6379';
const TZ = 'Asia/Shanghai';
const logger = createLogger({ level: 'silent' });

const config = (tick: string) =>
  ({
    pipelines: { food: { schedule: '0 2 * * *' } },
    lifecycle: { timeZone: TZ, schedule: tick },
  }) as unknown as Config;

/** The lifecycle jobs that wait to be taken now, not a scheduler's next tick (delayed). */
const ticksNow = async (queues: QueueSet) =>
  (await queues.lifecycle.getJobs(['waiting', 'prioritized'])).map((j) => ({ name: j.name, id: j.id }));

describe('a lifecycle tick whose time passed while its scheduler was gone', () => {
  let queues: QueueSet;
  let prefix: string;
  beforeAll(() => {
    prefix = `test-${randomUUID()}`;
    queues = createQueues(queueConnection(REDIS), prefix, []);
  });
  afterAll(async () => {
    await queues.close();
    await obliterate(prefix);
  });

  it('is queued at once when the tick is installed again, once for two workers', async () => {
    // Local midnight: today's tick time has always come.
    const midnight = config('0 0 * * *');
    await syncSchedules(midnight, queues);
    expect(await ticksNow(queues)).toEqual([]);
    await obliterate(prefix);
    // Two workers find the schedulers gone at once.
    const [a, b] = await Promise.all([
      reinstallMissing(midnight, queues, logger),
      reinstallMissing(midnight, queues, logger),
    ]);
    expect([...a, ...b].some((w) => w.id === LIFECYCLE_SCHEDULER_ID)).toBe(true);
    const day = localDate(TZ);
    expect(await ticksNow(queues)).toEqual([{ name: 'lifecycle', id: `lifecycle-tick-restored-${day}` }]);
    // Installed, nothing is missing: no tick more.
    await reinstallMissing(midnight, queues, logger);
    expect(await ticksNow(queues)).toHaveLength(1);
  });

  it("is not queued before today's tick time; the day the schedule last reached is", async () => {
    await obliterate(prefix);
    // 10:00 local with the tick at 23:59: today's tick is to come. Yesterday's is queued, for the
    // tick to make up if the ledger has it unticked (schedule-keeper-missed-day).
    const late = config('59 23 * * *');
    const done = await reinstallMissing(late, queues, logger, () => new Date('2031-03-02T02:00:00Z'));
    expect(done.map((w) => w.id)).toContain(LIFECYCLE_SCHEDULER_ID);
    expect(await ticksNow(queues)).toEqual([{ name: 'lifecycle', id: 'lifecycle-tick-restored-2031-03-01' }]);
  });
});

it('a worker ticks the day once the schedule it lost is installed again', async () => {
  const ws = await createDemoWorkspace({ rows: 5 });
  const yaml = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, `${yaml}lifecycle: { timeZone: ${TZ}, schedule: "0 0 * * *" }\n`);
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const rt = new Runtime(config, logger);
  const queues = createQueues(queueConnection(config.queue.redis), ws.prefix, ['province'], logger);
  const workers = startWorkers(rt, {
    connection: queueConnection(config.queue.redis),
    prefix: ws.prefix,
    queues,
    stages: ['lifecycle'],
  });
  try {
    await syncSchedules(config, queues);
    await obliterate(ws.prefix);
    await reinstallMissing(config, queues, logger);
    const ledger = await rt.ledger();
    const today = localDate(TZ);
    await until(
      async () => (await ledger.lifecycleWatermark('food-business-licenses'))?.day === today,
      60_000,
      {
        what: "today's tick",
      },
    );
  } finally {
    await workers.close();
    await queues.close();
    await rt.close();
    await ws.cleanup();
  }
}, 120_000);
