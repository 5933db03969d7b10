/**
 * A dead letter replayed alone while a later version of its license is dead at the same target:
 * an issue dead-lettered in an outage holds back the revocation read after it (dead too, `waits
 * for …`). Replaying the issue by its key sent it and left the revocation dead, so the platform
 * showed a revoked license as valid and the replay exited 0. A named replay now refuses, naming
 * the later dead letters, and replays nothing; named with them, or by `--target`, both go, in order.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { listDeadLetters, replayDeadLetters } from '../../pipelines/dead-letters.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('dead-letter replay of a version with a later one dead', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let issueKey: string;
  let revokeKey: string;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 3 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    const ledgerFile = join(ws.dir, 'data', 'ledger.db');
    // The first run's issues, then the outage: one license's issue dead-lettered.
    await runPipelines(config, { pipelines: ['food-business-licenses'], full: false, logger });
    const ledger = new Database(ledgerFile);
    const row = ledger
      .prepare(
        `select l.source_key as id, v.version_id as vid from deliveries d
           join license_versions v on v.version_id = d.version_id
           join licenses l on l.license_id = v.license_id order by v.version_id limit 1`,
      )
      .get() as { id: string; vid: number };
    ledger
      .prepare(`update deliveries set state = 'dead', reasons = '["503"]' where version_id = ?`)
      .run(row.vid);
    ledger.close();
    // The license is revoked at the source: its revocation waits for the dead issue, and dies with it.
    const legacy = new Database(ws.legacyDb);
    legacy
      .prepare("update T_SPXK_XKZ set ZT = '0', GXSJ = '2099-01-01T00:00:00Z' where cast(ID as text) = ?")
      .run(row.id);
    legacy.close();
    await runPipelines(config, { pipelines: ['food-business-licenses'], full: true, logger });
    const dead = await listDeadLetters(config, { limit: 10 });
    expect(dead.map((d) => d.operation)).toEqual(['issue', 'revoke']);
    issueKey = dead[0]?.key as string;
    revokeKey = dead[1]?.key as string;
  }, 120_000);
  afterAll(async () => ws?.cleanup().catch(() => undefined));

  it('refuses the older one alone, naming the later dead letter, and replays nothing', async () => {
    await expect(replayDeadLetters(config, { keys: [issueKey], timeoutMs: 3000, logger })).rejects.toThrow(
      `a later version of the same license is dead at the same target: ${revokeKey}`,
    );
    const cli = await licbridge(['dlq', 'replay', issueKey, '--config', ws.configFile]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain(revokeKey);
    expect((await listDeadLetters(config, { limit: 10 })).map((d) => d.key)).toEqual([issueKey, revokeKey]);
  }, 60_000);

  it('named with the later one, both go, the revocation last', async () => {
    const result = await replayDeadLetters(config, {
      keys: [revokeKey, issueKey],
      timeoutMs: 60_000,
      logger,
    });
    expect(result.replayed.map((d) => d.key)).toEqual([issueKey, revokeKey]);
    expect(result.outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted']);
    expect(await listDeadLetters(config, { limit: 10 })).toEqual([]);
  }, 120_000);
});
