/**
 * `licbridge lifecycle run --today <past>` for a day ticked already whose tick died after
 * recording it, while a later day's tick died too (`owedUnder`), the platform refusing every
 * version it sends: the versions it waited for went to the dead letters, and it exited 0 saying
 * only "already ticked for <day>" — while the same run without the later tick exits 3 and says
 * "dead-lettered province N" (lifecycle-run-dead-letters). Dead letters waiting for a person
 * mean exit 3: those of the versions it waited for are counted and said.
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lifecycleRunExitCode,
  lifecycleRunJson,
  lifecycleRunText,
} from '../../cli/commands/lifecycle-run-output.js';
import { EXIT_ATTENTION } from '../../cli/errors.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: process.env.LB_TEST_LOG ?? 'silent' });
const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';
/** The real today of the ticks: after every demo license's last valid day. */
const TODAY = '2099-01-05';

describe('lifecycle run of a past day under a later tick’s run, the platform refusing', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40 });
    process.env.LICBRIDGE_TODAY = FIRST_DAY;
    const first = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(first, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    // From now on the province refuses every expire version: `99` is no operation it knows.
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      yaml.replace(
        '    kind: rest-json\n',
        '    kind: rest-json\n    codes: { operation: { expire: "99" } }\n    attempts: 1\n',
      ),
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await ws?.cleanup();
  });

  it('exits 3 and says the dead letters of the versions it waited for', async () => {
    process.env.LICBRIDGE_TODAY = TODAY;
    const past = addDays(TODAY, -10);
    const rt = new Runtime(config, logger);
    try {
      const first = await lifecycleTick(rt, { today: past, pipelines: [PIPELINE] });
      const due = first.pipelines[0]?.expired ?? 0;
      expect(due).toBeGreaterThan(0);
      const ledger = await rt.ledger();
      const later = { owner: 'gone-host 4242', runId: `lifecycle-${addDays(past, 1)}-${randomUUID()}` };
      await ledger.beginLifecycleTick({ pipeline: PIPELINE, day: addDays(past, 1), ...later });

      const again = await runLifecycle(config, { logger, today: past, pipelines: [PIPELINE] });
      expect(again.pipelines).toEqual([
        expect.objectContaining({ outcome: 'done-today', owedUnder: later.runId }),
      ]);
      expect(await ledger.listDeadLetters({ pipeline: PIPELINE, target: 'province' })).toHaveLength(due);
      expect(lifecycleRunExitCode(again)).toBe(EXIT_ATTENTION);
      expect(lifecycleRunText(again)).toContain(`dead-lettered province ${due}`);
      const json = JSON.parse(lifecycleRunJson(again)) as { pipelines: Record<string, unknown>[] };
      expect(json.pipelines[0]).toMatchObject({ owedUnder: later.runId, owedDead: { province: due } });
    } finally {
      await rt.close();
    }
  }, 120_000);
});
