/**
 * A lost tick is settled by a tick that started after the loss, judged by the ledger's clock
 * (ledger/db-clock.ts), on both ledger backends: the loss is recorded by the worker that gave the
 * tick up, and settled by a tick on another host (`lifecycle run` on an operator's machine). Before,
 * the loss was stamped with the recording host's clock and compared with the ticking host's: a
 * worker 10 minutes ahead left the `lifecycle-tick-lost` finding in `status` after the
 * `lifecycle run` it asks for had finished (until the next day's tick), and one 10 minutes behind
 * had a tick already running when the tick was lost settle it. Each host here is this process
 * with `Date` faked; the database keeps its own time.
 */
import { describe, expect, it } from 'vitest';
import { recordLostTick } from '../../pipelines/lifecycle/lost-ticks.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { atHost, SKEW_MS } from '../ledger/clock-skew.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)(
  'a lost tick judged by the ledger clock, hosts 10 minutes apart ($name)',
  (backend) => {
    const ws = realDayWorkspace({ backend });
    /** Whether the lost tick of `jobId` still waits for a tick (a `status` finding). */
    const waits = async (jobId: string) =>
      (await ws.ledger.lostTicks.unsettled()).some((t) => t.jobId === jobId);

    it('is settled by a tick started after it, on a host behind the one that recorded the loss', async () => {
      const jobId = 'repeat:lifecycle-tick:ahead';
      await atHost(SKEW_MS, () => recordLostTick(ws.rt, { id: jobId, processedOn: Date.now() }, 'given up'));
      expect(await waits(jobId)).toBe(true);
      await lifecycleTick(ws.rt);
      expect(await waits(jobId)).toBe(false);
    });

    it('is not settled by a tick already running when it was lost, recorded by a host behind', async () => {
      const jobId = 'repeat:lifecycle-tick:behind';
      await lifecycleTick(ws.rt, {
        // Lost while this tick works: after its expiries, before its reminders and its end.
        onRecorded: async () => {
          await atHost(-SKEW_MS, () =>
            recordLostTick(ws.rt, { id: jobId, processedOn: Date.now() }, 'given up'),
          );
        },
      });
      expect(await waits(jobId)).toBe(true);
      await lifecycleTick(ws.rt);
      expect(await waits(jobId)).toBe(false);
    });
  },
);
