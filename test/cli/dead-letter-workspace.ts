/**
 * A demo workspace whose pipeline ran once over `rows` source rows, every delivery then made a
 * dead letter (refused with `503`), as `dlq list` finds them after a platform's outage.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

export async function deadLetterWorkspace(rows: number): Promise<DemoWorkspace> {
  const ws = await createDemoWorkspace({ rows });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  await runPipelines(config, {
    pipelines: ['food-business-licenses'],
    full: false,
    logger: createLogger({ level: 'silent' }),
  });
  const db = new Database(join(ws.dir, 'data', 'ledger.db'));
  try {
    db.prepare(`update deliveries set state = 'dead', reasons = '["503"]'`).run();
  } finally {
    db.close();
  }
  return ws;
}
