/**
 * The day of a lost tick is the day it ran as by the ledger's clock, as the tick that settles it
 * takes its own: the worker's `processedOn` is its own clock. A worker minutes ahead that lost a
 * tick shortly before midnight (in lifecycle.timeZone) dated the loss the next day, and that day's
 * `lifecycle run`, the one `status` asks for, could not settle it: the finding stayed until the
 * next day's tick. Here the worker is put just past the next midnight whatever the hour the test
 * runs at, with `Date` faked; the database keeps its own time.
 */
import { describe, expect, it } from 'vitest';
import { localDate } from '../../core/local-date.js';
import { recordLostTick } from '../../pipelines/lifecycle/lost-ticks.js';
import { lifecycleSettings } from '../../pipelines/lifecycle/settings.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { atHost } from '../ledger/clock-skew.js';
import { realDayWorkspace } from './reminders-fixture.js';

describe.each(BACKENDS)('a tick lost by a worker whose clock is past midnight ($name)', (backend) => {
  const ws = realDayWorkspace({ backend });

  it('is dated the ledger day and settled by that day’s tick', async () => {
    const zone = lifecycleSettings(ws.rt.config).timeZone;
    const now = Date.now();
    // The least skew that puts the worker on the next day in the zone, and a minute more.
    let skewMs = 60_000;
    while (localDate(zone, new Date(now + skewMs)) === localDate(zone, new Date(now))) skewMs += 60_000;
    skewMs += 60_000;
    const jobId = 'repeat:lifecycle-tick:past-midnight';
    await atHost(skewMs, () => recordLostTick(ws.rt, { id: jobId, processedOn: Date.now() }, 'given up'));
    const [lost] = (await ws.ledger.lostTicks.unsettled()).filter((t) => t.jobId === jobId);
    expect(lost?.day).toBe(localDate(zone, await ws.ledger.lostTicks.now()));
    await lifecycleTick(ws.rt);
    expect((await ws.ledger.lostTicks.unsettled()).some((t) => t.jobId === jobId)).toBe(false);
  }, 30_000);
});
