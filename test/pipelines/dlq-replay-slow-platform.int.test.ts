/**
 * A dead-letter replay waits for a platform slow but healthy: each request is answered after 6 s,
 * within the target's `timeoutMs` (10 s), and longer than the replay's wait (`--wait-seconds`, 3 s
 * here). The wait also runs from its start until a worker has taken a job, the workers started in
 * this process: 1 s (against 3 s answers) left too little for a pause of it under a full suite.
 * While a worker sends, nothing moves in the ledger; the wait counts that time as not idle, so the
 * replayed deliveries end accepted instead of "still queued when the wait ended".
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });

describe('dlq replay to a platform slower than its wait', () => {
  let ws: DemoWorkspace | undefined;
  let slow: ProvinceSimulator | undefined;
  afterEach(async () => {
    await slow?.close();
    await ws?.cleanup();
  });

  it('waits while a worker sends, and the replayed deliveries end accepted', async () => {
    ws = await createDemoWorkspace({ rows: 20 });
    const [s] = await runPipelines(await loadConfig({ file: ws.configFile, env: {} }), {
      pipelines: ['food-business-licenses'],
      full: false,
      logger,
    });
    expect(s?.state).toBe('done');
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
    // The platform now answers every request after 6 s (the target's timeoutMs is 10 s).
    slow = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      faults: { latencyMs: 6000 },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: slow.url }));
    const config = await loadConfig({ file: ws.configFile, env: {} });

    const result = await replayDeadLetters(config, { timeoutMs: 3000, logger });
    expect(result.replayed).toHaveLength(3);
    expect(result.settled).toBe(true);
    expect(result.outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(slow.stats().accepted).toBe(3);
  }, 120_000);
});
