/**
 * Seeded fault injection: the same seed gives the same sequence of 503s and held-open requests,
 * so a failing run can be replayed exactly.
 */

import { mulberry32 } from '../../../core/seeded-random.js';

export interface FaultOptions {
  /** Share of requests answered 503, 0..1. @defaultValue 0 */
  errorRate?: number;
  /** Share of requests held open without an answer until the simulator closes, 0..1. @defaultValue 0 */
  timeoutRate?: number;
  /**
   * Share of batch uploads whose records are stored and whose answer is then never sent (held open
   * until the simulator closes): the answer lost after the platform kept the records, 0..1. A batch
   * refused whole (413, 400) stored nothing and is answered. Only the province simulator loses
   * answers so; elsewhere such a draw is answered. @defaultValue 0
   */
  lostAnswerRate?: number;
  /** Delay before every platform request is handled, ms. @defaultValue 0 */
  latencyMs?: number;
  /** Seed of the fault sequence. @defaultValue a random seed */
  seed?: number;
  /** When set, 503 answers carry `Retry-After` with this many seconds (429 answers always do). @defaultValue none */
  retryAfterSeconds?: number;
  /** Share of requests that start a burst of 429 answers, 0..1. @defaultValue 0 */
  throttleRate?: number;
  /** Requests answered 429 in a row once a burst starts. @defaultValue 5 */
  throttleBurst?: number;
}

export type FaultDecision = 'none' | 'error' | 'timeout' | 'throttle' | 'lost-answer';

function rate(value: number | undefined, name: string): number {
  const r = value ?? 0;
  if (!Number.isFinite(r) || r < 0 || r > 1) {
    throw new RangeError(
      `province simulator: expected faults.${name} to be a number from 0 to 1, got ${String(value)}`,
    );
  }
  return r;
}

export class FaultPlan {
  private readonly random: () => number;
  private readonly errorRate: number;
  private readonly timeoutRate: number;
  private readonly lostAnswerRate: number;
  readonly latencyMs: number;
  readonly retryAfterSeconds: number | undefined;
  private readonly throttleRate: number;
  private readonly throttleBurst: number;
  private burstLeft = 0;

  constructor(options: FaultOptions = {}) {
    this.errorRate = rate(options.errorRate, 'errorRate');
    this.timeoutRate = rate(options.timeoutRate, 'timeoutRate');
    this.lostAnswerRate = rate(options.lostAnswerRate, 'lostAnswerRate');
    if (this.errorRate + this.timeoutRate + this.lostAnswerRate > 1) {
      throw new RangeError(
        'province simulator: faults.errorRate + faults.timeoutRate + faults.lostAnswerRate must not exceed 1',
      );
    }
    this.latencyMs = Math.max(0, options.latencyMs ?? 0);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.throttleRate = rate(options.throttleRate, 'throttleRate');
    this.throttleBurst = Math.max(1, options.throttleBurst ?? 5);
    this.random = mulberry32(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  /** One draw per platform request, in arrival order. */
  next(): FaultDecision {
    if (this.burstLeft > 0) {
      this.burstLeft -= 1;
      return 'throttle';
    }
    if (this.throttleRate > 0 && this.random() < this.throttleRate) {
      this.burstLeft = this.throttleBurst - 1;
      return 'throttle';
    }
    if (this.errorRate === 0 && this.timeoutRate === 0 && this.lostAnswerRate === 0) return 'none';
    // One draw, the shares side by side: a seed gives the sequence it gave before lost answers existed.
    const r = this.random();
    if (r < this.timeoutRate) return 'timeout';
    if (r < this.timeoutRate + this.errorRate) return 'error';
    if (r < this.timeoutRate + this.errorRate + this.lostAnswerRate) return 'lost-answer';
    return 'none';
  }
}
