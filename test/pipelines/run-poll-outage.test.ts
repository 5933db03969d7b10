/**
 * The idle clock of `licbridge run` (pipelines/run-poll.ts, LedgerOutage): it stands still while
 * a poll fails, and a poll that reads the ledger again neither counts the outage nor starts it
 * over. A read that started it over kept a run where nothing moved from ever ending, its ledger
 * failing every other poll.
 */
import { describe, expect, it } from 'vitest';
import { LedgerOutage } from '../../pipelines/run-poll.js';
import { SweepSchedule } from '../../pipelines/sweep.js';

describe('the idle clock of a run whose polls fail', () => {
  it('leaves out the time polls spent failing, and goes on from where it stood', () => {
    let now = 0;
    const outage = new LedgerOutage(() => now);
    const schedule = new SweepSchedule({ sweepAfterMs: 100, idleTimeoutMs: 1000, now: outage.clock });
    // 600 ms of polls that read and saw nothing move…
    now = 600;
    outage.read();
    // …then a poll begun then that failed after a retry budget longer than the idle timeout…
    now = 600 + 120_000;
    expect(outage.unread(600)).toBe(0);
    expect(outage.clock()).toBe(600);
    // …and one that read the ledger: nothing moved still; 600 ms idle, not 0 or 120 s.
    outage.read();
    now += 300;
    expect(outage.clock()).toBe(900);
    expect(schedule.next()).toBe('sweep');
    schedule.swept(0);
    now += 200;
    expect(schedule.next()).toBe('give-up');
  });

  it('counts how long polls found the ledger unreadable from the first of them', () => {
    let now = 1000;
    const outage = new LedgerOutage(() => now);
    expect(outage.unread(0)).toBe(0);
    now = 3000;
    expect(outage.unread(2500)).toBe(2000);
    outage.read();
    now = 4000;
    expect(outage.unread(3900)).toBe(0);
  });
});
