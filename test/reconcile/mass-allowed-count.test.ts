/**
 * After a repair failed or was stopped part-way, the check plans what is left: fewer licenses than
 * the `--allow-mass` count the person gave the first time. The guard still takes only the exact
 * count (a count left in a script must not let through any smaller plan), and its refusal now says
 * why the number changed and which one to give, where it said only that the number did not match.
 */
import { expect, it } from 'vitest';
import { assertMassAllowed, type MassEffect } from '../../pipelines/reconcile/mass-effect.js';

const effect: MassEffect = { count: 428, total: 2928, byAction: { revoke: 428 }, limit: 146 };
const refusal = (allowed: number | undefined): string => {
  try {
    assertMassAllowed(effect, allowed, 'p');
  } catch (e) {
    return (e as Error).message;
  }
  return 'applied';
};

it("refuses the earlier plan's larger count, saying why the count is smaller now and which to give", () => {
  const message = refusal(2928);
  expect(message).toContain('repair refused');
  expect(message).toContain('--allow-mass 2928 does not match: this plan counts 428, fewer');
  expect(message).toContain('failed or was stopped part-way');
  expect(message).toMatch(/run again with --allow-mass 428$/);
});

it('refuses a smaller count, naming the plan count', () => {
  expect(refusal(100)).toContain('--allow-mass 100 does not match: this plan counts 428)');
});

it('applies the exact count only', () => {
  expect(refusal(428)).toBe('applied');
  expect(refusal(undefined)).toContain('run again with --allow-mass 428');
});
