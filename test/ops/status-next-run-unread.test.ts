/**
 * `licbridge status` reads the installed schedules from Redis after it has reached it. A Redis
 * that then fails the read was taken for one holding no schedule (`no schedule installed`), and
 * one that stopped answering held status with no end: queue commands wait for Redis to come back.
 * The read now has the probe's time, and a schedule it could not read is said to be unknown.
 */
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { statusText } from '../../cli/commands/status.js';
import { nextRun } from '../../pipelines/observability/queue-stats.js';
import type { StatusReport } from '../../pipelines/observability/status-types.js';
import type { QueueSet } from '../../pipelines/queues.js';

const NOW = new Date('2026-12-03T10:00:00.000Z');
const CRON = '30 2 * * *';

const withSchedulers = (getJobSchedulers: () => Promise<unknown>) =>
  ({ extract: { name: 'extract', getJobSchedulers } as unknown as Queue }) as unknown as QueueSet;

const shown = (next: Awaited<ReturnType<typeof nextRun>>) =>
  statusText(
    {
      generatedAt: NOW.toISOString(),
      pipelines: [
        {
          pipeline: 'food',
          source: 'market',
          lastRun: null,
          checkpoint: null,
          lag: null,
          awaitingSignature: 0,
          awaitingDelivery: {},
          targets: {},
          nextRun: next,
        },
      ],
      queues: [],
      attention: [],
      information: [],
    } as unknown as StatusReport,
    'Asia/Shanghai',
  )
    .split('\n')
    .find((l) => l.startsWith('  next run:'));

describe('status: the installed schedules not read', () => {
  it('a Redis that stopped answering: the config’s tick within the probe’s time, said unknown', async () => {
    const hung = withSchedulers(() => new Promise(() => undefined));
    const next = await nextRun(hung, 'food', CRON, NOW, 'Asia/Shanghai', 50);
    expect(next).toEqual({
      at: '2026-12-03T18:30:00.000Z',
      source: 'config',
      unread: 'queues: installed schedules: no answer within 50 ms',
    });
    expect(shown(next)).toBe(
      '  next run: 2026-12-04 02:30 +08:00 (from the config; the installed schedules could not be read (queues: installed schedules: no answer within 50 ms), so whether the schedule is installed is unknown)',
    );
  });

  it('a read Redis refused: never `no schedule installed`', async () => {
    const failing = withSchedulers(() => Promise.reject(new Error('Connection is closed.')));
    const next = await nextRun(failing, 'food', CRON, NOW, 'Asia/Shanghai', 50);
    expect(next.unread).toBe('Connection is closed.');
    expect(shown(next)).not.toContain('no schedule installed');
  });

  it('schedules read, none of the pipeline’s: no schedule installed', async () => {
    const none = withSchedulers(async () => [{ key: 'schedule-other', next: NOW.getTime() + 1000 }]);
    const next = await nextRun(none, 'food', CRON, NOW, 'Asia/Shanghai', 50);
    expect(next).toEqual({ at: '2026-12-03T18:30:00.000Z', source: 'config' });
    expect(shown(next)).toBe('  next run: 2026-12-04 02:30 +08:00 (from the config; no schedule installed)');
  });
});
