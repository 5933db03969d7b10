// The versions `sign backfill` leaves unsigned for their corrupt stored text are quarantined
// nowhere (a backfill has no run) and named only in what the command prints and logs. Later,
// `status` still says a person is needed for them: they await the pipeline's seal while no job
// holds them (`delivery-unqueued`), so it exits 3 until their text is restored and they are signed.
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { pipelinesToSign, signBackfill } from '../../pipelines/batch-sign/backfill.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createSignWorkspace, PIPELINE, type SignWorkspace, seedVersions } from '../cli/sign-workspace.js';
import { obliterate } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const COUNT = 5;
/** Cut short: it does not read. */
const BROKEN = 3;

describe('status after a backfill that left a corrupt stored text unsigned', () => {
  let ws: SignWorkspace;
  let config: Readonly<Config>;
  let queues: QueueSet;
  let rt: Runtime;
  const prefix = `test-${randomUUID()}`;

  beforeAll(async () => {
    ws = await createSignWorkspace();
    await writeFile(ws.configFile, `${await readFile(ws.configFile, 'utf8')}queue: { prefix: ${prefix} }\n`);
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
    const db = new Database(ws.ledgerFile);
    try {
      db.prepare('update license_versions set payload = ? where version_id = ?').run('{"number":"X', BROKEN);
    } finally {
      db.close();
    }
    config = await loadConfig({ file: ws.configFile, env: {} });
    queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, ['province'], logger);
    rt = new Runtime(config, logger);
  });
  afterAll(async () => {
    await queues?.close();
    await rt?.close();
    await obliterate(prefix);
    await ws?.cleanup();
  });

  it('counts the version among those awaiting the seal that no job holds, and needs a person', async () => {
    const { passes } = await signBackfill(config, logger, {
      pipelines: pipelinesToSign(config, undefined),
      pageSize: 4,
    });
    expect(passes[0]).toMatchObject({ signed: COUNT - 1, storedText: 1, remaining: 1 });

    const status = await collectStatus(config, await rt.ledger(), queues, { probeSources: false });
    expect(status.pipelines.find((p) => p.pipeline === PIPELINE)?.awaitingSignature).toBe(1);
    expect(status.attentionByKind['delivery-unqueued']).toBeGreaterThanOrEqual(1);
    expect(status.attention).toContainEqual(
      expect.stringContaining(
        `pipeline ${PIPELINE}: 1 version(s) await the signature of seal 3702110000001 and no job holds them`,
      ),
    );
    // A run alone would only meet the corrupt text again: the line says to restore it first.
    expect(status.attention).toContainEqual(
      expect.stringContaining(
        `\`licbridge run ${PIPELINE}\` queues them again; if \`sign backfill\` or \`licbridge quarantine list --reason LB_STORED_TEXT\` names their stored text corrupt, restore it from a backup of the ledger first`,
      ),
    );
  });
});
