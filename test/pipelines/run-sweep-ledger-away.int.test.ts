/**
 * `licbridge run` looks at its runs about once a second, and a look the ledger did not answer is a
 * warning (run-poll.int.test.ts). A sweep, which queues again from the ledger what lost jobs held,
 * reads the ledger too: one the ledger did not answer (away for its whole retry budget) ended the
 * run with the ledger's error, though its workers went on. It is now a warning too, its time left
 * out of the idle time, as a failed poll's.
 */
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import { wrapLedgerError } from '../../ledger/sql-errors.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import {
  createDemoWorkspace,
  DEMO_SECRET,
  type DemoWorkspace,
  demoConfigYaml,
} from '../support/demo-workspace.js';
import { PIPELINE } from './deliveries-waiting.js';

describe('a sweep of licbridge run the ledger did not answer', () => {
  let ws: DemoWorkspace | undefined;
  let platform: ProvinceSimulator | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await platform?.close();
    await ws?.cleanup();
  });

  it('is looked again: the run ends as its work does', async () => {
    ws = await createDemoWorkspace({ rows: 6 });
    // Every send answered `submitted`, and no verdict ever: the run sweeps while it waits.
    platform = await startProvinceSimulator({
      port: 0,
      auth: { appKey: 'test-app', secret: DEMO_SECRET },
      review: { polls: 1_000_000 },
    });
    await writeFile(ws.configFile, demoConfigYaml({ prefix: ws.prefix, simulatorUrl: platform.url }));
    const config = await loadConfig({ file: ws.configFile, env: {} });
    // The database refused connections for a whole retry budget, once: the third read of what a
    // target is owed (the run's start reads it, then its sweeps).
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const original = KnexLedger.prototype.undeliveredVersionIds;
    let reads = 0;
    vi.spyOn(KnexLedger.prototype, 'undeliveredVersionIds').mockImplementation(function (
      this: KnexLedger,
      q,
    ) {
      reads += 1;
      if (reads === 3) return Promise.reject(wrapLedgerError('undeliveredVersionIds', refused));
      return original.call(this, q);
    });
    const [s] = await runPipelines(config, {
      pipelines: [PIPELINE],
      full: false,
      logger: createLogger({ level: 'silent' }),
      sweepAfterMs: 200,
      pollPauseMaxMs: 100,
      reviewWaitMs: 3000,
    });
    expect(reads).toBeGreaterThan(3);
    expect(s).toMatchObject({ state: 'in-review', created: 6, inReview: { province: 6 } });
  }, 90_000);
});
