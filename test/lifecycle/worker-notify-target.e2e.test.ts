/**
 * `licbridge worker` in a deployment that sends expiry reminders: the config's targets include a
 * `notify` gateway. The worker opened a deliver queue and worker for every target, the gateway's
 * too, and the deliver worker refused it: the process exited at start, so the scheduled lifecycle
 * tick never ran and no license was expired. Needs `npm run build`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { BIN } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';
const DAY = addDays(FIRST_DAY, 365);

const NOTIFY_TARGET = `  holder-sms:
    kind: notify
    url: http://127.0.0.1:9
    channel: sms
    auth: { scheme: hmac, appKey: gw, secret: gw-secret }
`;

describe('licbridge worker with a notify target in the config', () => {
  let ws: DemoWorkspace;
  let configFile: string;
  let worker: ChildProcess | undefined;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 11 });
    process.env.LICBRIDGE_TODAY = FIRST_DAY;
    const plain = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(plain, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    const yaml = (await readFile(ws.configFile, 'utf8')).replace(
      /\ntargets:\n/,
      `\ntargets:\n${NOTIFY_TARGET}`,
    );
    configFile = join(ws.dir, 'with-reminders.yaml');
    await writeFile(configFile, yaml);
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const gone = new Promise((r) => worker?.once('exit', r));
      worker.kill('SIGTERM');
      await gone;
    }
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await ws?.cleanup();
  });

  it('starts, and works the scheduled tick: the day’s due licenses are expired', {
    timeout: 120_000,
  }, async () => {
    const config = await loadConfig({ file: configFile, env: {} });
    let stderr = '';
    worker = spawn(
      process.execPath,
      [BIN, 'worker', '--stages', 'lifecycle,sign,deliver', '--config', configFile],
      {
        cwd: ws.dir,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LICBRIDGE_TODAY: DAY, LICBRIDGE_LOG_LEVEL: 'silent' },
      },
    );
    worker.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province']);
    try {
      await queues.lifecycle.add('tick', {}, { jobId: `tick-${DAY}` });
    } finally {
      await queues.close();
    }
    const ledger = join(ws.dir, 'data', 'ledger.db');
    const tickedDay = (): string | null => {
      const db = new Database(ledger, { readonly: true });
      try {
        const row = db.prepare('SELECT day FROM lifecycle_ticks WHERE pipeline = ?').get(PIPELINE) as
          | { day: string | null }
          | undefined;
        return row?.day ?? null;
      } finally {
        db.close();
      }
    };
    const deadline = Date.now() + 60_000;
    while (tickedDay() !== DAY && worker.exitCode === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(worker.exitCode, stderr).toBeNull();
    expect(tickedDay()).toBe(DAY);
    const db = new Database(ledger, { readonly: true });
    try {
      const expired = db
        .prepare("SELECT count(*) AS n FROM license_versions WHERE operation = 'expire' AND pipeline = ?")
        .get(PIPELINE) as { n: number };
      expect(expired.n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
