/**
 * A run `licbridge run` gives up keeps the error in the ledger, which `licbridge status` prints.
 * The error comes as a line told before — `run` gives errorLine's (pipelines/run-end.ts), a repair
 * storedReason's — and was masked once more there by a rule of its own, which kept what a failed
 * check's message and `status` hide (test/support/driver-error-cases.ts): a URL's and a connection
 * string's password, a quoted value cut by a line break, a credit code, a bank card number, an ID
 * number's first digits, a passport number, and a driver's dump whole. It is kept now as they show
 * it; licbridge's own backticks (`` `licbridge status` ``) and a login the driver names are kept.
 */
import { describe, expect, it } from 'vitest';
import { errorLine, isLicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { endGivenUp } from '../../pipelines/run-given-up.js';
import { driverErrorCases, loginErrorCases } from '../support/driver-error-cases.js';

/** What the ledger keeps of a run given up with `error`, still extracting and then extracted. */
async function kept(error: string): Promise<{ failed: string; abandoned: string }> {
  const errors: string[] = [];
  for (const extractedAt of [null, '2026-12-03T02:00:00.000Z']) {
    const ledger = {
      getRun: async () => ({ state: 'running', extractedAt }),
      finishRun: async (_runId: string, end: { error: string }) => {
        errors.push(end.error);
      },
    } as unknown as Ledger;
    await endGivenUp(ledger, [{ runId: 'r1' }], error);
  }
  return { failed: errors[0] ?? '', abandoned: errors[1] ?? '' };
}

/** errorLine's code after a licbridge error's message. */
const withCode = (error: unknown, shown: string) =>
  isLicbridgeError(error) ? `${shown} [${error.code}]` : shown;

describe('a run given up with a driver error', () => {
  for (const c of driverErrorCases()) {
    it(c.name, async () => {
      const { failed, abandoned } = await kept(errorLine(c.error));
      // A driver's dump is cut after errorLine added the code.
      if (c.whole !== undefined) expect(failed).toBe(c.shown);
      else expect(failed).toBe(withCode(c.error, c.shown));
      expect(abandoned).toContain(failed);
      for (const leak of c.leaks) expect(`${failed}\n${abandoned}`).not.toContain(leak);
    });
  }

  it("keeps licbridge's own words whole, backticks and all", async () => {
    const error = 'run: nothing moved for 120 s; see `licbridge status` and the worker logs [LB_INTERNAL]';
    expect((await kept(error)).failed).toBe(error);
  });

  for (const c of loginErrorCases()) {
    it(`keeps the login: ${c.name}`, async () => {
      expect((await kept(errorLine(c.error))).failed).toBe(withCode(c.error, c.shown));
    });
  }
});
