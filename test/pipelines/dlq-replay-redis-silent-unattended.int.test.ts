/**
 * `licbridge dlq replay` whose Redis takes its commands and stops answering as the replayed
 * deliveries are queued (its connections open, no reply). The deliveries are taken out of the dead
 * letters in the ledger first, then queued: BullMQ's add waits for Redis's answer without a bound,
 * so the replay never reached its wait, whose `--wait-seconds` never came, and the command never
 * ended. It should end within its wait, failing with LB_QUEUE_UNREACHABLE naming Redis, its
 * connections dropped, as `licbridge run` and `lifecycle run` do.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { outcomeWithin, type SilentProxy, silentProxy } from '../support/silent-proxy.js';
import { until } from '../support/until.js';

const PIPELINE = 'food-business-licenses';
const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
let ws: DemoWorkspace | undefined;
let proxy: SilentProxy | undefined;

afterAll(async () => {
  await proxy?.close();
  await ws?.cleanup();
});

it('a replay whose Redis stops answering as it queues the deliveries ends within its wait', async () => {
  ws = await createDemoWorkspace({ rows: 20 });
  const [run] = await runPipelines(await loadConfig({ file: ws.configFile, env: {} }), {
    pipelines: [PIPELINE],
    full: false,
    logger,
  });
  expect(run?.state).toBe('done');
  // Three deliveries dead-lettered, as a rejection leaves them.
  const db = new Database(join(ws.dir, 'data', 'ledger.db'));
  try {
    db.prepare(
      `update deliveries set state = 'dead', reasons = '["x"]'
        where version_id in (select version_id from deliveries order by version_id limit 3)`,
    ).run();
  } finally {
    db.close();
  }
  // Silent from the first command naming the pipeline in a job's data: a replayed delivery queued.
  const p = await silentProxy(6379, /"pipeline":"food-business-licenses"/);
  proxy = p;
  const text = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${p.port}`));
  const config = await loadConfig({ file: ws.configFile, env: {} });

  const replay = replayDeadLetters(config, { timeoutMs: 1000, logger });
  await until(() => p.silenced > 0, 30_000, { what: 'a replayed delivery queued' });
  p.silence();
  // Its wait is 1 s, which bounds the queuing at 10 s (the least a step on Redis is given), then
  // 5 s for each part of the close: one that waited on Redis for good would still be waiting.
  const outcome = await outcomeWithin(60_000, replay);
  expect(outcome).not.toBe('hung');
  expect(outcome).toMatchObject({
    code: 'LB_QUEUE_UNREACHABLE',
    message: expect.stringMatching(/Redis .*; the 3 replayed delivery\(ies\) are pending in the ledger/),
  });
  await until(() => p.open === 0, 5_000).catch(() => undefined);
  expect(p.open).toBe(0);
}, 90_000);
