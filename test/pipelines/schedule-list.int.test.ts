/**
 * `licbridge schedule --list` reads the installed schedulers against the config. Schedulers live in
 * Redis and change only when `licbridge schedule` runs: a deploy that skipped it kept firing the old
 * cron expression, in the old zone, and a removed pipeline's schedule, and a scheduler that stopped
 * adding ticks (no worker, or BullMQ failing to add the next job when it took the last) kept its
 * past next time; the list showed each as installed, and nothing else said so.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { zonedTime } from '../../core/zoned-time.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { listSchedules } from '../../pipelines/schedule-list.js';
import { syncSchedules } from '../../pipelines/schedules.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';

const config = (pipelines: Record<string, string | undefined>, timeZone = 'Asia/Shanghai') =>
  ({
    pipelines: Object.fromEntries(Object.entries(pipelines).map(([name, schedule]) => [name, { schedule }])),
    reconcile: { schedule: '0 2 * * *' },
    lifecycle: { timeZone, schedule: '5 0 * * *' },
  }) as unknown as Config;

const problems = async (queues: QueueSet, c: Config, now = Date.now()) =>
  Object.fromEntries(
    (await listSchedules(queues, c, now)).map((s) => [`${s.queue} ${s.id}`, s.problem ?? null]),
  );

describe('schedule --list: installed schedulers read against the config', () => {
  const prefix = `test-${randomUUID()}`;
  let queues: QueueSet;
  const installed = config({ food: '0 2 * * *', gone: '*/5 * * * *' });
  beforeAll(async () => {
    queues = createQueues(queueConnection('redis://127.0.0.1:6379'), prefix, []);
    await syncSchedules(installed, queues);
  });
  afterAll(async () => {
    await queues.close();
    // Every key of the prefix: obliterating the three queues left the sign queue's meta and the
    // schedules' own key (extract:licbridge-schedules) behind in the shared Redis.
    await obliterate(prefix);
  });

  it('finds nothing wrong with the schedules of the config they were installed from', async () => {
    const seen = await problems(queues, installed);
    expect(Object.keys(seen).sort()).toEqual([
      'extract schedule-food',
      'extract schedule-gone',
      'lifecycle lifecycle-tick',
      'reconcile reconcile-food',
      'reconcile reconcile-gone',
    ]);
    expect(Object.values(seen)).toEqual([null, null, null, null, null]);
  });

  it('names a changed expression, a pipeline gone and a schedule not installed', async () => {
    const seen = await problems(queues, config({ food: '0 3 * * *', fresh: '*/10 * * * *' }));
    expect(seen['extract schedule-food']).toBe(
      'installed as `0 2 * * *` in Asia/Shanghai; the config says `0 3 * * *` in Asia/Shanghai (`pipelines.food.schedule`): run `licbridge schedule`',
    );
    expect(seen['extract schedule-gone']).toContain('not in the config (schedule-gone): it still fires');
    expect(seen['reconcile reconcile-gone']).toContain('not in the config (reconcile-gone)');
    expect(seen['extract schedule-fresh']).toBe(
      '`pipelines.fresh.schedule` is not installed: run `licbridge schedule`',
    );
    expect(seen['reconcile reconcile-fresh']).toContain('`reconcile.schedule` is not installed');
    expect(seen['lifecycle lifecycle-tick']).toBeNull();
  });

  it('names schedules installed in another zone than lifecycle.timeZone', async () => {
    const seen = await problems(queues, config({ food: '0 2 * * *', gone: '*/5 * * * *' }, 'Asia/Urumqi'));
    for (const problem of Object.values(seen)) expect(problem).toContain('in Asia/Shanghai; the config says');
  });

  it('names a scheduler whose next tick is long past: it stopped firing', async () => {
    const list = await listSchedules(queues, installed);
    const food = list.find((s) => s.id === 'schedule-food');
    const next = Date.parse(food?.next ?? '');
    expect(Number.isFinite(next)).toBe(true);
    // Half a minute after the tick: a worker may just be taking it.
    expect((await problems(queues, installed, next + 30_000))['extract schedule-food']).toBeNull();
    // Two minutes after it, no worker has taken it (BullMQ moves `next` on as it takes a tick).
    // The tick on the clock of lifecycle.timeZone, as the list shows it, not in UTC.
    const stalled = (await problems(queues, installed, next + 120_000))['extract schedule-food'];
    expect(stalled).toMatch(/^its tick of \d{4}-\d\d-\d\d 02:00 \+08:00 has not started: /);
    expect(stalled).toBe(
      `its tick of ${zonedTime(food?.next ?? null, 'Asia/Shanghai')} has not started: no worker takes the \`extract\` queue, the queue is paused, its workers are busy with an earlier tick, or the scheduler stopped adding ticks; start \`licbridge worker\`, and run \`licbridge schedule\` if it stays`,
    );
  });
});

describe('licbridge schedule --list exits 3 when a schedule needs a person', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  const withSchedule = async (cron: string) => {
    const text = (await readFile(ws.configFile, 'utf8')).replace(/\n {4}schedule: "[^"]*"/, '');
    await writeFile(
      ws.configFile,
      text.replace('    pageSize: 100\n', `    pageSize: 100\n    schedule: "${cron}"\n`),
    );
  };

  it('exits 0 as installed, 3 naming the expression once the config has changed', async () => {
    await withSchedule('0 2 * * *');
    const sync = await licbridge(['schedule', '--config', ws.configFile], { cwd: ws.dir });
    expect(sync.status).toBe(0);
    // The next time on the clock the expression is read on, not in UTC (18:00Z said "02:00" nowhere).
    expect(sync.stdout).toMatch(
      /^scheduled food-business-licenses\t0 2 \* \* \*\tAsia\/Shanghai\tnext \d{4}-\d\d-\d\d 02:00 \+08:00$/m,
    );
    const fine = await licbridge(['schedule', '--list', '--config', ws.configFile], { cwd: ws.dir });
    expect(fine.stdout).toMatch(
      /^schedule-food-business-licenses\t0 2 \* \* \*\tAsia\/Shanghai\tnext \d{4}-\d\d-\d\d 02:00 \+08:00$/m,
    );
    expect(fine.status).toBe(0);
    await withSchedule('0 3 * * *');
    const changed = await licbridge(['schedule', '--list', '--config', ws.configFile], { cwd: ws.dir });
    expect(changed.status).toBe(3);
    expect(changed.stdout).toContain(
      'installed as `0 2 * * *` in Asia/Shanghai; the config says `0 3 * * *` in Asia/Shanghai (`pipelines.food-business-licenses.schedule`)',
    );
    const json = await licbridge(['schedule', '--list', '--json', '--config', ws.configFile], {
      cwd: ws.dir,
    });
    expect(json.status).toBe(3);
    const listed = JSON.parse(json.stdout) as { id: string; problem?: string }[];
    expect(listed.find((s) => s.id === 'schedule-food-business-licenses')?.problem).toContain(
      'run `licbridge schedule`',
    );
  });
});
