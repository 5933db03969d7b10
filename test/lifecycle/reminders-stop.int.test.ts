/**
 * A tick asked to stop (SIGTERM, SIGINT, a worker's shutdown) while it waits: for the backoff
 * between a reminder's attempts, for the time a gateway asked for (Retry-After), or for another
 * tick's claim. Each wait ends at once: no further attempt is made, no further reminder claimed,
 * the failed attempt made is counted, what is left stays pending and unclaimed for the next tick,
 * and the summary says the tick was stopped. Each wait here is minutes long: a wait the stop did
 * not end holds the test past its timeout.
 */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { ReminderStore } from '../../ledger/reminders.js';
import { sendDueReminders } from '../../pipelines/lifecycle/reminders.js';
import { Runtime } from '../../pipelines/runtime.js';
import { listenLocal } from '../support/listen-local.js';
import { blockWorkspace } from './reminders-fixture.js';

/** A gateway answering every request `status`, with `Retry-After` when given; `onAnswer` runs after each answer. */
async function busyGateway(
  status: number,
  retryAfterS: number | undefined,
  onAnswer: () => void,
): Promise<{ url: string; asked: () => number; close(): Promise<void> }> {
  let asked = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      asked += 1;
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) }),
      });
      res.end(JSON.stringify({ code: status, reason: 'busy' }), onAnswer);
    });
  });
  const local = await listenLocal(server);
  return { url: local.origin, asked: () => asked, close: local.close };
}

describe('a reminder tick asked to stop while it waits', () => {
  const ws = blockWorkspace();

  const configOf = (url: string, t: { attempts: number; backoffMs: number; timeoutMs: number }) => {
    const base = ws.withGateway(url);
    const target = base.targets['holder-sms'];
    if (target?.kind !== 'notify') throw new Error('expected the notify target');
    return {
      ...base,
      targets: { ...base.targets, 'holder-sms': { ...target, ...t, concurrency: 1 } },
    } as Readonly<Config>;
  };

  /** The next tick can claim these reminders at once: this one let them go. */
  async function claimable(keys: string[]): Promise<void> {
    const claim = await ws.ledger.reminders.claim(keys, 'tick:next', 60_000);
    expect(claim.claimed.sort()).toEqual([...keys].sort());
    await ws.ledger.reminders.release(keys, 'tick:next');
  }

  /**
   * Licenses `batch` due on `validTo` (as of `today`) and one tick of theirs against `gw` (closed
   * after) under `t`, stopped by `stop`: its summary, and the batch's reminders.
   */
  async function stoppedTick(
    batch: number[],
    validTo: string,
    today: string,
    gw: { url: string; close(): Promise<void> },
    t: { attempts: number; backoffMs: number; timeoutMs: number },
    stop: AbortSignal,
  ) {
    for (const n of batch) await ws.commit(n, validTo, { phone: `1391236${n}000` });
    try {
      const s = await ws.tick(configOf(gw.url, t), today, stop);
      return { s, rows: await ws.ledger.reminders.forLicenses(batch.map(ws.licenseId)) };
    } finally {
      await gw.close();
    }
  }

  it('the backoff between attempts ends on the stop: no second attempt, the first counted, the rest left unclaimed', {
    timeout: 20_000,
  }, async () => {
    const stop = new AbortController();
    // A 503 without Retry-After: the next attempt would come after a two-minute backoff.
    const gw = await busyGateway(503, undefined, () => setTimeout(() => stop.abort('SIGTERM'), 50));
    const t = { attempts: 2, backoffMs: 120_000, timeoutMs: 2000 };
    const { s, rows } = await stoppedTick([1, 2], '2027-03-31', '2027-03-10', gw, t, stop.signal);
    expect(gw.asked()).toBe(1);
    expect(s).toMatchObject({ due: 2, sent: 0, failed: 1, stopped: { signal: 'SIGTERM', left: 1 } });
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 0],
    ]);
    await claimable(rows.map((r) => r.key));
  });

  it('a wait the gateway asked for (Retry-After) before the next reminder ends on the stop', {
    timeout: 20_000,
  }, async () => {
    const stop = new AbortController();
    // Two minutes, within one send's claim (timeoutMs 150 s): the tick waits it out before the next.
    const gw = await busyGateway(429, 120, () => setTimeout(() => stop.abort('SIGINT'), 200));
    const t = { attempts: 1, backoffMs: 10, timeoutMs: 150_000 };
    const { s, rows } = await stoppedTick([3, 4], '2027-04-30', '2027-04-10', gw, t, stop.signal);
    expect(gw.asked()).toBe(1);
    expect(s).toMatchObject({ due: 2, sent: 0, failed: 1, stopped: { signal: 'SIGINT', left: 1 } });
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 0],
    ]);
    await claimable(rows.map((r) => r.key));
  });

  it('the wait for a reminder another tick holds ends on the stop, leaving it to that tick', {
    timeout: 20_000,
  }, async () => {
    await ws.commit(5, '2027-05-31', { phone: '13912365000' });
    // Written pending by a tick whose gateway was down, then claimed by another tick for ten minutes.
    const down = new Runtime(ws.withGateway('http://127.0.0.1:9', 300), ws.rt.logger);
    try {
      expect(await sendDueReminders(down, { today: '2027-05-09' })).toMatchObject({ failed: 1 });
    } finally {
      await down.close();
    }
    const [row] = await ws.ledger.reminders.forLicenses([ws.licenseId(5)]);
    if (!row) throw new Error('expected the pending reminder');
    const other = await ws.ledger.reminders.claim([row.key], 'tick:other', 600_000);
    expect(other.claimed).toEqual([row.key]);
    const stop = new AbortController();
    const rt = new Runtime(ws.config, ws.rt.logger);
    let s: Awaited<ReturnType<typeof sendDueReminders>>;
    try {
      const tick = sendDueReminders(rt, { today: '2027-05-10', stop: stop.signal });
      setTimeout(() => stop.abort('SIGTERM'), 1500);
      s = await tick;
    } finally {
      await rt.close();
    }
    // Counted as the other tick's, not as a failure of this one, nor as one it left untried.
    expect(s).toMatchObject({ sent: 0, failed: 0, byOtherTick: 1, stopped: { signal: 'SIGTERM', left: 0 } });
    expect(ws.messagesOf(5)).toEqual([]);
    // Still the other tick's: a stopped tick lets go only its own claims.
    const again = await ws.ledger.reminders.claim([row.key], 'tick:third', 60_000);
    expect(again.claimed).toEqual([]);
    expect(again.held.has(row.key)).toBe(true);
  });
  it('a stop while a claimed reminder is read again sends it not: the claim is let go, the reminder left', {
    timeout: 20_000,
  }, async () => {
    await ws.commit(6, '2027-06-30', { phone: '13912366000' });
    const stop = new AbortController();
    const rt = new Runtime(ws.config, ws.rt.logger);
    // The stop comes as the claimed row's renewal is looked up, the last read before its send
    // (the earlier tests' rows have expired by this day: dropped, or left to the tick holding one).
    const store = (await rt.ledger()).reminders as { continued: ReminderStore['continued'] };
    const continued = store.continued;
    let looked = 0;
    store.continued = async (ids) => {
      const out = await continued(ids);
      // Its first look is the page of due licenses (reminder-due.ts); the second, once claimed.
      if (ids.includes(ws.licenseId(6)) && ++looked === 2) stop.abort('SIGTERM');
      return out;
    };
    let s: Awaited<ReturnType<typeof sendDueReminders>>;
    try {
      s = await sendDueReminders(rt, { today: '2027-06-10', stop: stop.signal });
    } finally {
      await rt.close();
    }
    expect(ws.messagesOf(6)).toEqual([]);
    expect(s).toMatchObject({ due: 1, sent: 0, failed: 0, stopped: { signal: 'SIGTERM', left: 1 } });
    const rows = await ws.ledger.reminders.forLicenses([ws.licenseId(6)]);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([['pending', 0]]);
    await claimable(rows.map((r) => r.key));
  });
});
