/**
 * A tick waiting for a reminder another tick holds, on a host whose clock is 10 minutes ahead of
 * the ledger's. It is told how long the lease has left by the ledger's clock (ledger/db-clock.ts)
 * and looks again once a poll's wait went by. Before, it was told the lease's end and measured it
 * against its own clock: the end was already past by that clock, and the tick claimed the row again
 * every 10 ms for as long as the other tick held it, a statement on the ledger's write lock each.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReminderStore } from '../../ledger/reminders.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { SKEW_MS } from '../ledger/clock-skew.js';
import { blockWorkspace } from './reminders-fixture.js';

/** The waits the tick asked for between its looks, ms: what it was told, not how long it took. */
const pauses: number[] = [];

vi.mock('../../pipelines/run-stop.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../pipelines/run-stop.js')>();
  return {
    ...real,
    pauseUnlessStopped: (ms: number, stop: AbortSignal | undefined) => {
      pauses.push(ms);
      return real.pauseUnlessStopped(ms, stop);
    },
  };
});

describe('a reminder tick waiting for another tick’s lease, its host 10 minutes ahead', () => {
  const ws = blockWorkspace();

  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks again at the held reminder once a poll’s wait went by, not every 10 ms', {
    timeout: 20_000,
  }, async () => {
    await ws.commit(7, '2027-07-31', { phone: '13912367000' });
    // Written pending by a tick whose gateway was down, then claimed by another tick for ten minutes.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      expect(await sendDueReminders(down, { today: '2027-07-09' })).toMatchObject({ failed: 1 });
    } finally {
      await down.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(7)]);
    if (!row) throw new Error('expected the pending reminder');
    expect((await ws.ledger.reminders.claim([row.key], 'tick:other', 600_000)).claimed).toEqual([row.key]);

    const stop = new AbortController();
    const rt = new Runtime(ws.config, ws.rt.logger);
    const store = (await rt.ledger()).reminders as { claim: ReminderStore['claim'] };
    const claim = store.claim.bind(store);
    // Stopped at its second claim of the held reminder: what it waited before it is the point.
    let claims = 0;
    store.claim = (...args) => {
      if (args[0].includes(row.key)) claims += 1;
      if (claims === 2) stop.abort('SIGTERM');
      return claim(...args);
    };
    pauses.length = 0;
    vi.setSystemTime(Date.now() + SKEW_MS);
    try {
      const tick = sendDueReminders(rt, { today: '2027-07-10', stop: stop.signal });
      expect(await tick).toMatchObject({ sent: 0, stopped: { signal: 'SIGTERM' } });
    } finally {
      vi.useRealTimers();
      await rt.close();
    }
    // Its first claim, then a poll's wait (HELD_POLL_MS, the lease having ten minutes left by
    // the ledger's clock) before the second; judged by its own clock, the lease's end was past
    // and the wait the 10 ms floor.
    expect(claims).toBe(2);
    expect(pauses).toEqual([1_000]);
    expect(ws.messagesOf(7)).toEqual([]);
  });
});
