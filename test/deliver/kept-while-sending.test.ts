/**
 * The leases of a send are renewed while it runs (pipelines/stages/delivery-lease.ts
 * `keptWhileSending`): every third of the lease, whatever the ledger answered the time before, only
 * the keys still held, and never after the send has returned; a renewal under way when the send ends
 * is awaited, and one that fails is logged.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keptWhileSending } from '../../pipelines/stages/delivery-lease.js';

/** A ledger that records each renewal and answers it as `answer` says. */
function renewals(answer: (keys: readonly string[], n: number) => Promise<string[]>) {
  const calls: { keys: string[]; ms: number }[] = [];
  return {
    calls,
    ledger: {
      claimDeliveries: async (keys: readonly string[], _owner: string, ms: number) => {
        calls.push({ keys: [...keys], ms });
        return answer(keys, calls.length);
      },
    },
  };
}

describe('keptWhileSending', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews every third of the lease while the send runs, and not after', async () => {
    vi.useFakeTimers();
    const r = renewals(async (keys) => [...keys]);
    let done: (v: string) => void = () => undefined;
    const sending = keptWhileSending(
      r.ledger,
      ['a', 'b'],
      { owner: 'o', sendMs: 30_000 },
      () =>
        new Promise<string>((resolve) => {
          done = resolve;
        }),
    );
    await vi.advanceTimersByTimeAsync(9_999);
    expect(r.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.calls).toEqual([{ keys: ['a', 'b'], ms: 30_000 }]);
    // Three leases' time: nine renewals in all.
    await vi.advanceTimersByTimeAsync(80_000);
    expect(r.calls).toHaveLength(9);
    done('answered');
    await expect(sending).resolves.toBe('answered');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(r.calls).toHaveLength(9);
  });

  it('goes on after a renewal that failed, and drops a key another sender took', async () => {
    vi.useFakeTimers();
    const r = renewals(async (keys, n) => {
      if (n === 1) throw new Error('ledger unreachable');
      return keys.filter((k) => k !== 'b');
    });
    let done: () => void = () => undefined;
    const sending = keptWhileSending(
      r.ledger,
      ['a', 'b'],
      { owner: 'o', sendMs: 3_000, logger: { warn: () => undefined } },
      () =>
        new Promise<void>((resolve) => {
          done = resolve;
        }),
    );
    await vi.advanceTimersByTimeAsync(3_000);
    done();
    await sending;
    expect(r.calls.map((c) => c.keys)).toEqual([['a', 'b'], ['a', 'b'], ['a']]);
  });

  it('waits for a renewal under way when the send ends before it returns', async () => {
    vi.useFakeTimers();
    let release: () => void = () => undefined;
    const r = renewals(
      (keys) =>
        new Promise<string[]>((resolve) => {
          release = () => resolve([...keys]);
        }),
    );
    let done: (v: string) => void = () => undefined;
    const sending = keptWhileSending(
      r.ledger,
      ['a'],
      { owner: 'o', sendMs: 3_000 },
      () =>
        new Promise<string>((resolve) => {
          done = resolve;
        }),
    );
    let returned = false;
    void sending.then(() => {
      returned = true;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(r.calls).toHaveLength(1);
    // The send has answered, the renewal has not: the answers must wait for it.
    done('answered');
    await vi.advanceTimersByTimeAsync(0);
    expect(returned).toBe(false);
    release();
    await expect(sending).resolves.toBe('answered');
  });

  it('logs the first failed renewal at once and the count of the rest as the send ends', async () => {
    vi.useFakeTimers();
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const logger = {
      warn: (fields: unknown, message?: unknown) => {
        lines.push({ fields: fields as Record<string, unknown>, message: String(message) });
      },
    };
    const r = renewals(async () => {
      throw new Error('connect ECONNREFUSED postgres://app:s3cret@db.internal:5432/ledger');
    });
    let done: () => void = () => undefined;
    const sending = keptWhileSending(
      r.ledger,
      ['licence-key-a', 'licence-key-b'],
      { owner: 'o', sendMs: 3_000, logger },
      () =>
        new Promise<void>((resolve) => {
          done = resolve;
        }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toMatch(/^deliver: a lease renewal failed during a send/);
    expect(lines[0]?.fields).toMatchObject({ deliveries: 2, leaseMs: 3_000 });
    // A ledger down fails every tick: no line more while the send runs.
    await vi.advanceTimersByTimeAsync(9_000);
    expect(r.calls).toHaveLength(10);
    expect(lines).toHaveLength(1);
    done();
    await sending;
    expect(lines).toHaveLength(2);
    expect(lines[1]?.fields).toMatchObject({ failed: 10 });
    const logged = JSON.stringify(lines);
    // The error's words made safe, and no delivery key.
    expect(logged).toContain('ECONNREFUSED');
    expect(logged).not.toContain('s3cret');
    expect(logged).not.toContain('licence-key');
  });

  it('logs nothing more for a single failed renewal', async () => {
    vi.useFakeTimers();
    const lines: unknown[] = [];
    const r = renewals(async (keys, n) => {
      if (n === 1) throw new Error('ledger unreachable');
      return [...keys];
    });
    let done: () => void = () => undefined;
    const sending = keptWhileSending(
      r.ledger,
      ['a'],
      { owner: 'o', sendMs: 3_000, logger: { warn: (...line: unknown[]) => lines.push(line) } },
      () =>
        new Promise<void>((resolve) => {
          done = resolve;
        }),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    done();
    await sending;
    expect(r.calls).toHaveLength(5);
    expect(lines).toHaveLength(1);
  });
});
