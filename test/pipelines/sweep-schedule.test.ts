import { describe, expect, it } from 'vitest';
import { SweepSchedule } from '../../pipelines/sweep.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/**
 * Polls as `run` does (every `pollMs`), sweeping when due with `onSweep` giving the jobs a sweep
 * enqueued, until the schedule says to give up or `limitMs` passes. Returns when it gave up (ms
 * after the start), or undefined.
 */
function loop(
  schedule: SweepSchedule,
  c: ReturnType<typeof clock>,
  o: { pollMs: number; limitMs: number; onSweep(): number; progressAt?: (elapsed: number) => boolean },
): { gaveUpAt?: number; sweeps: number } {
  const start = c.now();
  let sweeps = 0;
  while (c.now() - start < o.limitMs) {
    c.advance(o.pollMs);
    if (o.progressAt?.(c.now() - start)) {
      schedule.progressed();
      continue;
    }
    const next = schedule.next();
    if (next === 'give-up') return { gaveUpAt: c.now() - start, sweeps };
    if (next === 'sweep') {
      sweeps += 1;
      schedule.swept(o.onSweep());
    }
  }
  return { sweeps };
}

describe('SweepSchedule', () => {
  it('sweeps once nothing has moved for sweepAfterMs, and not before', () => {
    const c = clock();
    const s = new SweepSchedule({ sweepAfterMs: 3000, idleTimeoutMs: 120_000, now: c.now });
    c.advance(2900);
    expect(s.next()).toBe('wait');
    c.advance(200);
    expect(s.next()).toBe('sweep');
    s.swept(0);
    c.advance(1000);
    expect(s.next()).toBe('wait');
    c.advance(2100);
    expect(s.next()).toBe('sweep');
  });

  it('progress postpones the next sweep', () => {
    const c = clock();
    const s = new SweepSchedule({ sweepAfterMs: 3000, idleTimeoutMs: 120_000, now: c.now });
    c.advance(2500);
    s.progressed();
    c.advance(2500);
    expect(s.next()).toBe('wait');
    c.advance(600);
    expect(s.next()).toBe('sweep');
  });

  it('gives up when sweeps keep re-enqueuing work that never progresses', () => {
    // Redis came back empty and nobody works the queues: each sweep finds the same versions
    // unsigned and enqueues them again under fresh ids. The run must still end.
    const c = clock();
    const s = new SweepSchedule({ sweepAfterMs: 3000, idleTimeoutMs: 120_000, now: c.now });
    const { gaveUpAt, sweeps } = loop(s, c, { pollMs: 200, limitMs: 1_200_000, onSweep: () => 3 });
    expect(sweeps).toBeGreaterThan(10);
    expect(gaveUpAt).toBeDefined();
    // The idle timeout, plus at most one sweep interval for the last re-enqueue to show.
    expect(gaveUpAt).toBeGreaterThan(120_000);
    expect(gaveUpAt).toBeLessThanOrEqual(120_000 + 3000 + 400);
  });

  it('gives up after the idle timeout when sweeps find nothing to enqueue', () => {
    const c = clock();
    const s = new SweepSchedule({ sweepAfterMs: 3000, idleTimeoutMs: 120_000, now: c.now });
    const { gaveUpAt } = loop(s, c, { pollMs: 200, limitMs: 1_200_000, onSweep: () => 0 });
    expect(gaveUpAt).toBeGreaterThan(120_000);
    expect(gaveUpAt).toBeLessThanOrEqual(120_000 + 3000 + 400);
  });

  it('does not give up while the counts keep moving, however long the run', () => {
    const c = clock();
    const s = new SweepSchedule({ sweepAfterMs: 3000, idleTimeoutMs: 120_000, now: c.now });
    // Progress every 60 s, sweeps in between re-enqueue work: a slow run, never idle for 120 s.
    const { gaveUpAt, sweeps } = loop(s, c, {
      pollMs: 200,
      limitMs: 600_000,
      onSweep: () => 1,
      progressAt: (elapsed) => elapsed % 60_000 === 0,
    });
    expect(gaveUpAt).toBeUndefined();
    expect(sweeps).toBeGreaterThan(0);
  });

  it('a sweep that re-enqueued work restarts the quiet time a failed run waits out', () => {
    const c = clock();
    const s = new SweepSchedule({ sweepAfterMs: 3000, idleTimeoutMs: 120_000, now: c.now });
    c.advance(3500);
    expect(s.quietMs()).toBe(3500);
    s.swept(0);
    expect(s.quietMs()).toBe(3500);
    c.advance(3500);
    s.swept(2);
    expect(s.quietMs()).toBe(0);
    c.advance(1000);
    expect(s.quietMs()).toBe(1000);
  });
});
