// The simulators' seeded faults (adapters/simulators/province/fault-plan.ts): a seed replays its
// sequence exactly, and a share of lost answers added to it turns some of the requests it left
// alone into lost answers, never moving a 503 or a held-open request of the seed.
import { describe, expect, it } from 'vitest';
import { type FaultOptions, FaultPlan } from '../../adapters/simulators/province/fault-plan.js';

const draws = (options: FaultOptions, n = 400): string[] => {
  const plan = new FaultPlan(options);
  return Array.from({ length: n }, () => plan.next());
};

describe('FaultPlan', () => {
  const seeded = { errorRate: 0.2, timeoutRate: 0.1, throttleRate: 0.02, throttleBurst: 3, seed: 42 };

  it('a seed gives the same sequence every time, and lostAnswerRate 0 changes nothing', () => {
    expect(draws(seeded)).toEqual(draws(seeded));
    expect(draws({ ...seeded, lostAnswerRate: 0 })).toEqual(draws(seeded));
  });

  it('lost answers take only requests the seed left alone', () => {
    const before = draws(seeded);
    const after = draws({ ...seeded, lostAnswerRate: 0.3 });
    const lost = after.flatMap((d, i) => (d === 'lost-answer' ? [i] : []));
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((i) => before[i] === 'none')).toBe(true);
    expect(after.map((d) => (d === 'lost-answer' ? 'none' : d))).toEqual(before);
  });

  it('refuses shares that add up to more than 1', () => {
    expect(() => new FaultPlan({ errorRate: 0.5, timeoutRate: 0.3, lostAnswerRate: 0.3 })).toThrow(
      /lostAnswerRate must not exceed 1/,
    );
  });
});
