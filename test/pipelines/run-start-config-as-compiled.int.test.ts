/**
 * `licbridge run` records the configuration in force once it has opened its pipelines. It read
 * the mapping and catalog files from disk again for that record, so a mapping saved after the run
 * had compiled it was recorded as in force while the run mapped every row with the one compiled
 * before: the audit chain named a mapping no version of the run was made with. The record now
 * takes the files as the run compiled them, as opening each pipeline records them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sm3Hex } from '../../catalog/sm3.js';
import { createLogger } from '../../core/logger.js';
import { createQueues } from '../../pipelines/queues.js';
import { queueConnection } from '../../pipelines/redis.js';
import { letGo } from '../../pipelines/run-end.js';
import { processOwner } from '../../pipelines/run-liveness.js';
import { type RunHold, startRuns } from '../../pipelines/run-start.js';
import { Runtime } from '../../pipelines/runtime.js';
import { demoConfig } from '../support/demo-config.js';

const PIPELINE = 'food-business-licenses';
const MAPPING_PART = 'mapping:mappings/food-business-license.yaml';
const log = createLogger({ level: 'silent' });
const demo = demoConfig(5);

it('records the mapping the run compiled, not one saved after it was compiled', async () => {
  const rt = new Runtime(demo.config, log);
  const connection = queueConnection(demo.config.queue.redis);
  const queues = createQueues(connection, demo.config.queue.prefix, ['province'], log);
  const hold: RunHold = { owner: processOwner(), runs: [] };
  const ledger = await rt.ledger();
  const file = join(demo.ws.dir, 'mappings', 'food-business-license.yaml');
  const compiled = readFileSync(file);
  // The pipeline opened (its mapping compiled), then the file saved with an edit.
  await rt.pipeline(PIPELINE);
  writeFileSync(file, `${compiled.toString('utf8')}\n# edited after the run compiled it\n`);
  let recorded: (string | undefined)[];
  try {
    await startRuns(
      demo.config,
      rt,
      queues,
      connection,
      { pipelines: [PIPELINE], full: false, logger: log, workInProcess: false },
      hold,
    );
    recorded = (await ledger.configChanges.list()).map(
      (e) => (JSON.parse(e.detail) as Record<string, string>)[MAPPING_PART],
    );
  } finally {
    await letGo(rt, queues, hold, false, log);
  }
  expect(recorded).toEqual([sm3Hex(compiled)]);
}, 60_000);
