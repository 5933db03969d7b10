/**
 * `licbridge status` says when the daily lifecycle tick is behind: licenses whose last valid day
 * was before yesterday and that are still `valid` (a day's grace for a tick shortly after
 * midnight). The demo is read as of 1 January 2022, when every license is still valid; the
 * expected counts come from the licenses' own `validTo`, not from the ledger's index query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { addDays } from '../../core/local-date.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { collectDeadlines, deadlineMessages } from '../../pipelines/lifecycle/deadlines.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge, quietLogger } from '../ops/ops-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const READ_ON = '2022-01-01';

describe('status: the lifecycle tick is behind', { timeout: 180_000 }, () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let ledger: Ledger;
  /** Every license's validTo, as read on READ_ON (all valid then). */
  let validTo: (string | null)[];
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 120 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    process.env.LICBRIDGE_TODAY = READ_ON;
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
    ledger = await openLedger(config.ledger.url, { logger: quietLogger() });
    const rows = await ledger.pipelineLicenses(PIPELINE);
    const versions = await ledger.getVersions(rows.map((r) => r.versionId));
    validTo = versions.filter((v) => v.status === 'valid').map((v) => v.payload.validTo);
  });
  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await ledger?.close();
    await ws?.cleanup();
  });

  /** Licenses valid on READ_ON whose last valid day is before `day`. */
  const ranOutBefore = (day: string) => validTo.filter((t) => t !== null && t < day).length;

  it('counts licenses that ran out before yesterday, with the last tick, and none within the grace day', async () => {
    const sorted = validTo.filter((t): t is string => t !== null && t >= READ_ON).sort();
    const last = sorted[Math.floor(sorted.length / 3)] as string;
    expect(ranOutBefore(last)).toBeGreaterThan(0);
    // `last` is its last valid day: it expires on last + 1, that day's tick may not have run yet.
    const graceDay = addDays(last, 1);
    const within = await collectDeadlines(config, ledger, { today: graceDay });
    const expectedWithin = ranOutBefore(addDays(graceDay, -1));
    expect(within.expiry.behind).toEqual([{ pipeline: PIPELINE, count: expectedWithin, lastTick: null }]);

    // The day after, it should have been expired by yesterday's tick.
    const lateDay = addDays(last, 2);
    const late = await collectDeadlines(config, ledger, { today: lateDay });
    const expectedLate = ranOutBefore(addDays(lateDay, -1));
    expect(expectedLate).toBeGreaterThan(expectedWithin);
    expect(late.expiry.behind).toEqual([{ pipeline: PIPELINE, count: expectedLate, lastTick: null }]);
    expect(deadlineMessages(late)).toContainEqual({
      kind: 'expiry-behind',
      message: expect.stringContaining(
        `pipeline ${PIPELINE}: ${expectedLate} license(s) ran out before ${addDays(lateDay, -1)} and are still valid in the ledger and at the platforms; the lifecycle tick last finished for no day yet`,
      ),
    });
  });

  it('clears once the tick has run, and names the day of the last tick when it falls behind again', async () => {
    const day = addDays(READ_ON, 400);
    const rt = new Runtime(config, quietLogger());
    try {
      const tick = await lifecycleTick(rt, { today: day });
      expect(tick.pipelines[0]?.expired).toBe(ranOutBefore(day));
    } finally {
      await rt.close();
    }
    // The next day: nothing ran out before yesterday that the tick has not expired.
    expect((await collectDeadlines(config, ledger, { today: addDays(day, 1) })).expiry.behind).toEqual([]);
    // Ten days on without a tick.
    const later = addDays(day, 10);
    const behind = ranOutBefore(addDays(later, -1)) - ranOutBefore(day);
    const status = await collectDeadlines(config, ledger, { today: later });
    if (behind === 0) expect(status.expiry.behind).toEqual([]);
    else expect(status.expiry.behind).toEqual([{ pipeline: PIPELINE, count: behind, lastTick: day }]);
  });

  it('trips `licbridge status` (exit 3) with the line, and not on a day within the grace', async () => {
    const day = addDays(READ_ON, 400);
    const far = addDays(day, 365);
    expect(ranOutBefore(addDays(far, -1)) - ranOutBefore(day)).toBeGreaterThan(0);
    const r = await licbridge(['status', '--no-sources', '--today', far, '--config', ws.configFile]);
    expect(r.status, r.stdout).toBe(3);
    expect(r.stdout).toContain(`the lifecycle tick last finished for ${day}`);
    const json = await licbridge([
      'status',
      '--no-sources',
      '--today',
      far,
      '--json',
      '--config',
      ws.configFile,
    ]);
    expect(JSON.parse(json.stdout).attentionByKind['expiry-behind']).toBe(1);
    const fine = await licbridge([
      'status',
      '--no-sources',
      '--today',
      addDays(day, 1),
      '--config',
      ws.configFile,
    ]);
    expect(fine.stdout).not.toContain('lifecycle tick last finished');
  });
});
