/**
 * A dead-letter replay in a deployment that sends expiry reminders: the config's targets include
 * a `notify` gateway, which takes reminders from the lifecycle tick and never a deliver job. The
 * replay opened a deliver queue and a deliver worker for every target, the gateway's too; the
 * worker refused it, so the command failed after the ledger had already taken the dead letters
 * out of the list and queued them, and nothing in this process delivered them.
 */
import { readFile, writeFile } from 'node:fs/promises';
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

const NOTIFY_TARGET = `  holder-sms:
    kind: notify
    url: http://127.0.0.1:9
    channel: sms
    auth: { scheme: hmac, appKey: gw, secret: gw-secret }
`;

describe('dead-letter replay with a notify target in the config', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12 });
    const plain = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(plain, { pipelines: ['food-business-licenses'], full: false, logger });
    expect(s?.state).toBe('done');
    const yaml = (await readFile(ws.configFile, 'utf8')).replace(
      /\ntargets:\n/,
      `\ntargets:\n${NOTIFY_TARGET}`,
    );
    const file = join(ws.dir, 'with-reminders.yaml');
    await writeFile(file, yaml);
    config = await loadConfig({ file, env: {} });
    expect(config.targets['holder-sms']?.kind).toBe('notify');
  }, 60_000);
  afterAll(async () => ws?.cleanup());

  it('replays and delivers the dead letters, and says so', async () => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare(
        `update deliveries set state = 'dead', reasons = '["x"]'
          where version_id in (select version_id from deliveries order by version_id limit 3)`,
      ).run();
    } finally {
      db.close();
    }
    const result = await replayDeadLetters(config, { timeoutMs: 30_000, logger });
    expect(result.replayed).toHaveLength(3);
    expect(result.settled).toBe(true);
    expect(result.outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted', 'accepted']);
  }, 60_000);
});
