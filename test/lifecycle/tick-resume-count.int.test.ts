/**
 * A tick that died half-way through the day's expiries resumes under its run and expires what is
 * left. Its count is the day's: the pages written before the crash were counted by the run (and
 * are signed and delivered with the rest), so a summary of only the resumed part said "expired 1,
 * signed 3, delivered province 3".
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';
const PAGE = 2;

describe('a tick resumed after a crash half-way', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 11 });
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, `${yaml}lifecycle: { pageSize: ${PAGE} }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    process.env.LICBRIDGE_TODAY = FIRST_DAY;
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await ws?.cleanup();
  });

  it('counts the expiries written before the crash', async () => {
    const day = addDays(FIRST_DAY, 365);
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const due = await ledger.countDueExpiries(PIPELINE, day);
      expect(due).toBeGreaterThan(PAGE);
      // What a tick killed after its first page left: the day begun, one page of expiries written.
      const runId = `lifecycle-${day}-killed`;
      await ledger.beginLifecycleTick({ pipeline: PIPELINE, day, runId });
      expect(await ledger.expireDue({ pipeline: PIPELINE, today: day, runId, limit: PAGE })).toHaveLength(
        PAGE,
      );

      const [p] = (await lifecycleTick(rt, { pipelines: [PIPELINE], today: day })).pipelines;
      expect(p).toMatchObject({ outcome: 'ticked', runId, expired: due });
      expect(p?.created).toHaveLength(due - PAGE);
      expect(await ledger.runVersionIds(runId)).toHaveLength(due);
      expect(await ledger.lifecycleWatermark(PIPELINE)).toMatchObject({ day, expired: due });
    } finally {
      await rt.close();
    }
  }, 60_000);
});
