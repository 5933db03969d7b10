/**
 * `schedule` and `schedule --list` print scheduler ids, cron expressions and zones read from
 * Redis, which anyone who can write it can set: each reaches the terminal with no escape sequence
 * and no line break of its own, so a scheduler cannot erase or forge the lines of the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const HOSTILE = 'x\u001b[2K\rschedule-fake\t* * * * *\u001b]0;title\u0007\nremoved everything';

function clean(stdout: string): void {
  expect(stdout).not.toContain('\u001b');
  expect(stdout).not.toContain('\u0007');
  expect(stdout).not.toContain('\r');
  expect(stdout.split('\n').filter((l) => l.startsWith('removed everything'))).toEqual([]);
}

describe('schedule text of scheduler ids read from Redis', () => {
  let ws: DemoWorkspace;
  let queues: QueueSet;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    queues = createQueues(queueConnection('redis://127.0.0.1:6379'), ws.prefix, []);
    // One of licbridge's names (removed by `schedule`), one of another's (listed as it is).
    await queues.extract.upsertJobScheduler(`schedule-${HOSTILE}`, { pattern: '0 2 * * *' }, { name: 'x' });
    await queues.reconcile.upsertJobScheduler(HOSTILE, { pattern: '0 3 * * *' }, { name: 'x' });
  });
  afterAll(async () => {
    await queues?.close();
    await ws?.cleanup();
  });

  it('lists each scheduler on one line with no escape sequence', async () => {
    const r = await licbridge(['schedule', '--list', '--config', ws.configFile], { cwd: ws.dir });
    expect(r.status).toBe(3);
    clean(r.stdout);
    const ids = r.stdout.split('\n').filter((l) => l.startsWith('x') || l.startsWith('schedule-x'));
    expect(ids.length).toBe(2);
  });

  it('names each scheduler it removes on one line with no escape sequence', async () => {
    const r = await licbridge(['schedule', '--config', ws.configFile], { cwd: ws.dir });
    expect(r.status, r.stderr).toBe(0);
    clean(r.stdout);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('removed schedule-x')).length).toBe(1);
  });
});
