/**
 * The deliver queue's small rules with the random part pinned (Math.random stubbed), so each
 * delay is one exact number worked out by hand from the documented formula.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { cappedBackoff, deferDelay, MAX_BACKOFF_MS, retryAfterOf } from '../../pipelines/delivery-policy.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const withRandom = (r: number) => vi.spyOn(Math, 'random').mockReturnValue(r);

describe('cappedBackoff: base·2^(attempt−1), capped, half of it random', () => {
  it.each([
    // [attemptsMade, base, cap, random, expected]: full/2 + random·full/2
    [1, 100, undefined, 0, 50],
    [1, 100, undefined, 0.5, 75],
    [0, 100, undefined, 0, 50],
    [3, 100, undefined, 0, 200],
    [3, 100, undefined, 0.5, 300],
    [40, 1000, undefined, 0, MAX_BACKOFF_MS / 2],
    [40, 1000, undefined, 0.5, (MAX_BACKOFF_MS * 3) / 4],
    [40, 20, 400, 0.5, 300],
  ] as const)('attempt %i, base %i, cap %s, random %s → %i ms', (attempts, base, cap, random, expected) => {
    withRandom(random);
    expect(cappedBackoff(attempts, base, cap)).toBe(expected);
  });

  it('uses 30 s as the default cap', () => {
    expect(MAX_BACKOFF_MS).toBe(30_000);
  });
});

describe('deferDelay: 250 ms doubling to at most 15 s, ±25 % jitter', () => {
  it.each([
    // [deferrals, random, expected]: min(15000, 250·2^min(n, 6)) · (0.75 + random/2)
    [0, 0.5, 250],
    [0, 0, 188],
    [1, 0.5, 500],
    [3, 0.5, 2000],
    [5, 0, 6000],
    [5, 0.5, 8000],
    [6, 0.5, 15000],
    [30, 0.5, 15000],
    [30, 0, 11250],
  ] as const)('after %i deferrals with random %s waits %i ms', (deferrals, random, expected) => {
    withRandom(random);
    expect(deferDelay(deferrals)).toBe(expected);
  });
});

describe("retryAfterOf: the platform's Retry-After carried by an adapter error", () => {
  const err = (retryAfterMs: number | string | undefined) =>
    new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target province: 503', {
      context: { target: 'province', retryAfterMs },
    });

  it('reads a positive number of ms', () => {
    expect(retryAfterOf(err(1500))).toBe(1500);
    expect(retryAfterOf(err(1))).toBe(1);
  });

  it('caps it at five minutes', () => {
    expect(retryAfterOf(err(300_000))).toBe(300_000);
    expect(retryAfterOf(err(86_400_000))).toBe(300_000);
  });

  it('ignores zero, negative, non-number values and errors of other kinds', () => {
    expect(retryAfterOf(err(0))).toBeUndefined();
    expect(retryAfterOf(err(-5))).toBeUndefined();
    expect(retryAfterOf(err('1500'))).toBeUndefined();
    expect(retryAfterOf(err(undefined))).toBeUndefined();
    expect(retryAfterOf(Object.assign(new Error('x'), { context: { retryAfterMs: 1500 } }))).toBeUndefined();
    expect(retryAfterOf('1500')).toBeUndefined();
  });
});
