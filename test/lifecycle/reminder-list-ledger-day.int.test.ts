/**
 * `licbridge lifecycle reminders` previews the day the tick sends: today by the ledger's clock
 * (ledger/db-clock.ts), as the tick takes it, on both ledger backends. Before, the preview took
 * today from this host's clock: on a host minutes off the ledger's at midnight it showed the
 * reminders due the day before or after the one the next tick sends. Each host is this process
 * with `Date` faked, 5 minutes on the other side of the ledger's midnight in Asia/Shanghai
 * (`lifecycle.timeZone`'s default); the database keeps its own time.
 */
import { describe, expect, it } from 'vitest';
import { addDays, localDate } from '../../core/local-date.js';
import { listReminders } from '../../pipelines/lifecycle/reminder-list.js';
import { lifecycleTick } from '../../pipelines/lifecycle/tick.js';
import { BACKENDS } from '../ledger/backends.js';
import { atHost } from '../ledger/clock-skew.js';
import { realDayWorkspace } from './reminders-fixture.js';

const ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no summer time). */
const ZONE_OFFSET_MS = 8 * 3_600_000;
const FIVE_MINUTES = 5 * 60_000;

describe.each(BACKENDS)("lifecycle reminders previews the ledger's day ($name)", (backend) => {
  const ws = realDayWorkspace({ backend });

  it('lists for the day the tick sends, on hosts ahead of and behind the ledger at midnight', async () => {
    const now = await ws.ledger.lostTicks.now();
    const day = localDate(ZONE, now);
    const sinceMidnight = (now.getTime() + ZONE_OFFSET_MS) % DAY_MS;
    // Due today by the 7-day threshold, not yet by it the day before.
    await ws.commit(1, addDays(day, 7), { phone: '13912340601' });

    for (const skewMs of [DAY_MS - sinceMidnight + FIVE_MINUTES, -(sinceMidnight + FIVE_MINUTES)]) {
      const list = await atHost(skewMs, () => listReminders(ws.config, ws.rt.logger));
      expect(list.today).toBe(day);
      expect(list.due.map((d) => ({ licenseId: d.licenseId, threshold: d.threshold }))).toEqual([
        { licenseId: ws.licenseId(1), threshold: 7 },
      ]);
    }

    // The tick of that day sends what the preview listed.
    const tick = await lifecycleTick(ws.rt);
    expect(tick.today).toBe(day);
    expect(ws.messagesOf(1)).toEqual([{ threshold: 7, daysLeft: 7 }]);
  });
});
