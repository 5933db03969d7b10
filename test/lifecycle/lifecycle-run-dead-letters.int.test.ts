/**
 * `licbridge lifecycle run` says how many of its `expire` versions never reached a platform: the
 * deliveries dead-lettered (a platform refused them) and those an operator discarded since, per
 * target, in the text and in `--json`. Without them "expired 12, signed 12, delivered province 0"
 * left a user to guess where the twelve went. The province here refuses the expire operation (its
 * code list maps it to a code it does not know), so every expiry is a dead letter. Dead letters
 * wait for a person, so the command exits 3 while one is left, as `licbridge run` does.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';

describe('lifecycle run: expiries that never reached a platform', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 11 });
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
        '    kind: rest-json\n    codes: { operation: { expire: "99" } }\n',
      ),
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await ws?.cleanup();
  });

  it('counts the dead-lettered and the discarded per target, in text and --json', async () => {
    const day = addDays(FIRST_DAY, 365);
    process.env.LICBRIDGE_TODAY = day;
    const first = await licbridge(['lifecycle', 'run', '--today', day, '-c', ws.configFile]);
    // Dead letters wait for a person: exit 3, as `licbridge run` does.
    expect(first.status, first.stderr).toBe(3);
    const expired = Number(/expired (\d+)/.exec(first.stdout)?.[1]);
    expect(expired).toBeGreaterThan(2);
    expect(first.stdout).toContain(
      `  ${PIPELINE}: expired ${expired}, signed ${expired}, delivered province 0, dead-lettered province ${expired}\n`,
    );

    // An operator discards two of the dead letters.
    const ledger = await openLedger(config.ledger.url, { logger });
    try {
      const dead = await ledger.listDeadLetters({ pipeline: PIPELINE, target: 'province' });
      expect(dead).toHaveLength(expired);
      expect(await ledger.discardDeadLetters(dead.slice(0, 2).map((d) => d.key))).toHaveLength(2);
    } finally {
      await ledger.close();
    }

    // The same day again: nothing new, and the day's tick's versions counted as they now stand.
    const json = await licbridge(['lifecycle', 'run', '--today', day, '--json', '-c', ws.configFile]);
    expect(json.status, json.stderr).toBe(3);
    expect(JSON.parse(json.stdout).pipelines[0]).toMatchObject({
      pipeline: PIPELINE,
      outcome: 'done-today',
      signed: expired,
      delivered: { province: 0 },
      dead: { province: expired - 2 },
      discarded: { province: 2 },
    });
    const text = await licbridge(['lifecycle', 'run', '--today', day, '-c', ws.configFile]);
    expect(text.status, text.stderr).toBe(3);
    expect(text.stdout).toContain(`dead-lettered province ${expired - 2}, discarded province 2)`);

    // Every dead letter discarded: a person decided each, nothing waits for one any more.
    const again = await openLedger(config.ledger.url, { logger });
    try {
      const dead = await again.listDeadLetters({ pipeline: PIPELINE, target: 'province' });
      await again.discardDeadLetters(dead.map((d) => d.key));
    } finally {
      await again.close();
    }
    const settled = await licbridge(['lifecycle', 'run', '--today', day, '-c', ws.configFile]);
    expect(settled.status, settled.stderr).toBe(0);
    expect(settled.stdout).toContain(`discarded province ${expired})`);
  }, 180_000);
});
