/**
 * A dead-letter replay needs the ledger, Redis, the pipelines' config and their targets: what it
 * sends is signed and stored in the ledger. It opened each replayed pipeline whole all the same
 * (its source, catalog, mapping and signer), after the dead letters were taken out of the list
 * and queued: with the department's legacy database away for maintenance, the command failed,
 * and its deliveries waited `pending` for a run's sweep, though the platform was back and nothing
 * of the source was needed. A deliver job opens only the pipeline's config (deliver-source-away).
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

describe("dead-letter replay while a pipeline's source is away", () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
  }, 60_000);
  afterAll(async () => ws?.cleanup());

  it('sends the replayed deliveries without opening the source', async () => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(
        `update deliveries set state = 'dead', reasons = '["platform: HTTP 502 Bad Gateway"]'
          where version_id in (select version_id from deliveries order by version_id limit 3)`,
      ).run();
    } finally {
      db.close();
    }
    // The legacy database is down for maintenance: gone, as far as this process can tell.
    await rename(ws.legacyDb, `${ws.legacyDb}.away`);
    const result = await replayDeadLetters(config, { timeoutMs: 30_000, logger });
    expect(result.replayed).toHaveLength(3);
    expect(result.settled).toBe(true);
    expect(result.outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted', 'accepted']);
  }, 60_000);
});
