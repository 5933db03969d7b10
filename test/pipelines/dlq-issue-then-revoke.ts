/**
 * A demo workspace where one license's issue was dead-lettered in an outage and its revocation,
 * read after it, died waiting for it (`waits for …`): the two dead letters of one license at one
 * target that a named replay must not split.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import type { DeadLetter } from '../../ledger/ledger.js';
import { listDeadLetters } from '../../pipelines/dead-letters.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

export interface IssueThenRevoke {
  ws: DemoWorkspace;
  config: Readonly<Config>;
  ledgerFile: string;
  issueKey: string;
  revokeKey: string;
  issueVersionId: number;
  revokeVersionId: number;
}

export async function issueThenRevoke(logger: Logger): Promise<IssueThenRevoke> {
  const ws = await createDemoWorkspace({ rows: 3 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
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
  const [issue, revoke] = dead as [DeadLetter, DeadLetter];
  return {
    ws,
    config,
    ledgerFile,
    issueKey: issue.key,
    revokeKey: revoke.key,
    issueVersionId: issue.versionId,
    revokeVersionId: revoke.versionId,
  };
}
