/**
 * A tick lost is settled by a whole tick that finishes after it (pipelines/lifecycle/tick.ts):
 * `lifecycle run` without `--pipeline`, and as well one whose `--pipeline` options name every
 * pipeline of the config (in any order), which ticks the same pipelines. One naming only some of
 * them leaves the others' day unticked, and the lost tick stays a `status` finding.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { recordLostTick } from '../../pipelines/lifecycle/lost-ticks.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { Runtime } from '../../pipelines/runtime.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe('a lost tick settled by a tick naming its pipelines', () => {
  const ws = realDayWorkspace();

  it('stays after a tick of some pipelines, and is settled by one naming every pipeline', async () => {
    const food = ws.config.pipelines[ws.pipeline];
    if (!food) throw new Error('expected the pipeline');
    // A second pipeline, so that naming one of them is not naming them all.
    const config = { ...ws.config, pipelines: { ...ws.config.pipelines, other: food } } as Readonly<Config>;
    const rt = new Runtime(config, ws.rt.logger);
    try {
      await recordLostTick(rt, { id: 'repeat:lifecycle-tick:1', processedOn: Date.now() }, 'given up');
      await lifecycleTick(rt, { pipelines: [ws.pipeline] });
      expect((await ws.ledger.lostTicks.unsettled()).map((t) => t.jobId)).toEqual([
        'repeat:lifecycle-tick:1',
      ]);
      await lifecycleTick(rt, { pipelines: ['other', ws.pipeline] });
      expect(await ws.ledger.lostTicks.unsettled()).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
