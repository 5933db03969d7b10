/**
 * Schedulers live in Redis only. A Redis restarted without persistence lost every one installed by
 * `licbridge schedule`, and a running `licbridge worker` never installed them again: scheduled runs
 * stopped, silently, until someone ran `licbridge schedule`. Here the deployment's keys are deleted
 * (what a Redis restart without persistence leaves of them); two workers install each schedule
 * again from their config, one scheduler each, and a scheduled run fires. Needs `npm run build`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { BIN, licbridgeProcess } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, obliterate } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const REINSTALLED = /^worker: schedule (\S+) was missing from Redis; installed again from the config/;

interface Spawned {
  proc: ChildProcess;
  reinstalled: string[];
  stderr: () => string;
}

function startWorker(ws: DemoWorkspace, configFile: string): Spawned {
  let stderr = '';
  const reinstalled: string[] = [];
  const proc = spawn(
    process.execPath,
    [BIN, 'worker', '--stages', 'extract', '--schedule-check', '300', '--config', configFile],
    { cwd: ws.dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env } },
  );
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const line of d.toString().split('\n')) {
      if (!line.startsWith('{')) continue;
      const m = REINSTALLED.exec((JSON.parse(line) as { msg?: string }).msg ?? '');
      if (m?.[1]) reinstalled.push(m[1]);
    }
  });
  return { proc, reinstalled, stderr: () => stderr };
}

async function until(what: () => boolean | Promise<boolean>, workers: Spawned[]): Promise<void> {
  while (!(await what())) {
    for (const w of workers) expect(w.proc.exitCode, w.stderr()).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
  }
}

const schedulerIds = async (queues: QueueSet): Promise<string[]> => {
  const ids: string[] = [];
  for (const q of [queues.extract, queues.reconcile, queues.lifecycle])
    for (const s of await q.getJobSchedulers(0, -1)) ids.push(s.key);
  return ids.sort();
};

describe('licbridge worker installs again the schedules Redis lost', () => {
  let ws: DemoWorkspace;
  let configFile: string;
  let config: Config;
  let queues: QueueSet;
  const workers: Spawned[] = [];

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    // A tick every second, so that a run fires while the test watches.
    const yaml = (await readFile(ws.configFile, 'utf8')).replace(
      '    pageSize: 100\n',
      '    pageSize: 100\n    schedule: "* * * * * *"\n',
    );
    configFile = join(ws.dir, 'scheduled.yaml');
    await writeFile(configFile, yaml);
    config = await loadConfig({ file: configFile, env: {} });
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, []);
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) {
      if (w.proc.exitCode !== null) continue;
      const gone = new Promise((r) => w.proc.once('exit', r));
      w.proc.kill('SIGTERM');
      await gone;
    }
    await queues?.close();
    await ws?.cleanup();
  });

  it('two workers install each lost schedule once, and a scheduled run fires', {
    timeout: 120_000,
  }, async () => {
    const installed = await licbridgeProcess(['schedule', '--config', configFile], { cwd: ws.dir });
    expect(installed.status, installed.stderr).toBe(0);
    const wanted = await schedulerIds(queues);
    expect(wanted).toEqual([`reconcile-${PIPELINE}`, 'lifecycle-tick', `schedule-${PIPELINE}`].sort());

    // Redis restarted without persistence: nothing of the deployment is left.
    await obliterate(ws.prefix);
    expect(await schedulerIds(queues)).toEqual([]);

    workers.push(startWorker(ws, configFile), startWorker(ws, configFile));
    await until(async () => (await schedulerIds(queues)).length === wanted.length, workers);
    expect(await schedulerIds(queues)).toEqual(wanted);

    // A scheduled run fires: its tick's job opens a run of its own.
    const ledger = join(ws.dir, 'data', 'ledger.db');
    const scheduledRuns = (): string[] => {
      const db = new Database(ledger, { readonly: true });
      try {
        return (
          db.prepare("SELECT run_id FROM runs WHERE run_id LIKE 'scheduled-%'").all() as { run_id: string }[]
        ).map((r) => r.run_id);
      } finally {
        db.close();
      }
    };
    await until(() => scheduledRuns().length > 0, workers);

    // Never two jobs of one scheduler waiting for their tick: one scheduler, one next tick.
    expect(await queues.extract.getDelayedCount()).toBeLessThanOrEqual(1);

    // Lost again while both run: a later check installs each again.
    const before = workers.map((w) => w.reinstalled.length);
    await obliterate(ws.prefix);
    const since = () => workers.flatMap((w, i) => w.reinstalled.slice(before[i]));
    await until(() => wanted.every((id) => since().includes(id)), workers);
    await until(async () => (await schedulerIds(queues)).length === wanted.length, workers);
    expect(await schedulerIds(queues)).toEqual(wanted);
    expect(await queues.extract.getDelayedCount()).toBeLessThanOrEqual(1);
  });
});
