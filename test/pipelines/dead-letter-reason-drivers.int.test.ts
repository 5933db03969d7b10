/**
 * A dead letter's reason is kept in the ledger and printed by `licbridge dlq list` and `dlq show`.
 * A deliver job dead-letters its open deliveries with the error that ended its last attempt
 * (deadLetterOpen), and a job that stops waiting dead-letters its submitted ones with the reason
 * their status requests failed (endDeferrals). Both kept the error's text with only values from
 * config references replaced: a target's or a driver's words quoting a holder's name, an ID number,
 * a passport number or a URL's password reached the ledger and `dlq show` whole. They are kept now
 * as failureMessage makes any error safe (test/support/driver-error-cases.ts); the login a driver
 * names stays, as the account to fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deadLetterOpen } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { driverErrorCases, loginErrorCases } from '../support/driver-error-cases.js';

const SEAL = 'seal-dead-reasons';
const PIPELINE = 'dead-reasons';
const TARGET = 'province';

let database: TestDatabase;
let ledger: Ledger;
const commit = signedRuns(() => ledger, PIPELINE, SEAL);
let next = 0;

beforeAll(async () => {
  database = await sqliteBackend.create();
  ledger = await openLedger(database.url, { logger: quietLogger });
});

afterAll(async () => {
  await ledger?.close();
  await database?.dispose();
});

/** One new signed version of a new license, and its delivery key at the target. */
async function oneVersion(): Promise<{ ids: number[]; key: string }> {
  next += 1;
  const ids = await commit(candidates(next, 1, { pipeline: PIPELINE }));
  const [row] = await ledger.ensureDeliveries(ids, TARGET);
  return { ids, key: row?.key as string };
}

/** The reasons the ledger keeps for the dead letter `key`, as `dlq show` prints them. */
async function deadReasons(key: string): Promise<string[]> {
  const [dead] = await ledger.listDeadLetters({ keys: [key] });
  expect(dead?.state).toBe('dead');
  return dead?.reasons ?? [];
}

/** A target whose every send fails with `error`, as a driver or a gateway throws it. */
function failingTarget(error: unknown): TargetAdapter {
  return {
    name: TARGET,
    kind: 'rest-json',
    deliver: async (_items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> => {
      throw error;
    },
    close: async () => {},
  };
}

/**
 * What a dead letter keeps of a case: its reason is cut at 1,000 characters, not a status line's
 * 300 (pipelines/delivery-policy.ts), so a driver's dump of 411 is kept whole, its leak no leak.
 */
const deadShown = (c: { shown: string; whole?: string }) =>
  c.whole !== undefined && Array.from(c.whole).length <= 1000 ? c.whole : c.shown;
const deadLeaks = (c: { whole?: string; leaks: readonly string[] }) => (c.whole === undefined ? c.leaks : []);

/** The message of an error, as a delivery's last error keeps it: text told before. */
const told = (error: unknown) => (error instanceof Error ? error.message : String(error));

describe("a deliver job's last attempt dead-letters its open deliveries with the error", () => {
  for (const c of driverErrorCases()) {
    it(c.name, async () => {
      const { ids, key } = await oneVersion();
      expect(await deadLetterOpen(ledger, ids, TARGET, c.error)).toBe(1);
      const reasons = await deadReasons(key);
      expect(reasons).toEqual([deadShown(c)]);
      for (const leak of deadLeaks(c)) expect(reasons.join('\n')).not.toContain(leak);
    });
  }

  for (const c of loginErrorCases()) {
    it(`keeps the login: ${c.name}`, async () => {
      const { ids, key } = await oneVersion();
      await deadLetterOpen(ledger, ids, TARGET, c.error);
      expect(await deadReasons(key)).toEqual([c.shown]);
    });
  }

  it("cuts a reason at 1,000 characters, past a status line's 300, keeping the platform's code at its end", async () => {
    const { ids, key } = await oneVersion();
    const tail = 'HTTP 503 (SYSTEM_BUSY)';
    const long = `deliver: target province asked to wait ${'again, '.repeat(90)}the last answer: ${tail}`;
    await deadLetterOpen(ledger, ids, TARGET, new LicbridgeError(ErrorCodes.TARGET_REJECTED, long));
    expect(await deadReasons(key)).toEqual([long]);
    const dump = new Error(`ECONNRESET ${'y'.repeat(2000)}`);
    const { ids: more, key: other } = await oneVersion();
    await deadLetterOpen(ledger, more, TARGET, dump);
    const [reason = ''] = await deadReasons(other);
    expect(Array.from(reason)).toHaveLength(1000);
    expect(reason.endsWith('...')).toBe(true);
  });

  it("keeps what the operator acts on: the HTTP status, the platform's code, licbridge's backticks", async () => {
    const { ids, key } = await oneVersion();
    const error = new LicbridgeError(
      ErrorCodes.TARGET_REJECTED,
      'target province: batch upload to http://127.0.0.1:8080 failed: request refused: HTTP 422 (ZZBH_REQUIRED); see `targets.province.url`',
    );
    await deadLetterOpen(ledger, ids, TARGET, error);
    expect(await deadReasons(key)).toEqual([error.message]);
  });
});

describe('a send the target fails as a whole, dead-lettered as the deliver worker does', () => {
  for (const c of driverErrorCases()) {
    it(c.name, async () => {
      const { ids, key } = await oneVersion();
      const thrown = await deliverVersions(failingTarget(c.error), SEAL, ledger, ids).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(thrown).toBeDefined();
      await deadLetterOpen(ledger, ids, TARGET, thrown);
      const reasons = await deadReasons(key);
      expect(reasons).toEqual([deadShown(c)]);
      for (const leak of deadLeaks(c)) expect(reasons.join('\n')).not.toContain(leak);
    });
  }
});

describe('a job that stops waiting dead-letters submitted deliveries with their last failed status request', () => {
  // An empty reason is no last error: such a delivery is not one whose status request failed.
  for (const c of driverErrorCases().filter((x) => told(x.error) !== '')) {
    it(c.name, async () => {
      const { key } = await oneVersion();
      await ledger.recordDeliveryOutcomes([{ key, state: 'submitted', platformId: `P-${key}` }]);
      const reason = told(c.error);
      await ledger.recordDeliveryAttempt([key], { error: reason, reason: 'other' }, 'submitted');
      const result = {
        accepted: 0,
        dead: 0,
        skipped: 0,
        waiting: 0,
        submitted: 1,
        pollFailed: { keys: [key], reason },
      };
      expect(await endDeferrals(ledger, TARGET, result, { deferrals: 200, final: true })).toEqual({
        dead: 1,
      });
      const reasons = await deadReasons(key);
      // Told as text: a licbridge error's words are no longer known as its own, but hold no backticks here.
      if (!isLicbridgeError(c.error) || !reason.includes('`')) expect(reasons).toEqual([c.shown]);
      for (const leak of c.leaks) expect(reasons.join('\n')).not.toContain(leak);
    });
  }

  it('names the failed status request in the error of a job still waiting, masked', async () => {
    const [c] = driverErrorCases().filter((x) => x.name.startsWith('pg: a connection URL'));
    const reason = told(c?.error);
    const result = {
      accepted: 0,
      dead: 0,
      skipped: 0,
      waiting: 0,
      submitted: 1,
      pollFailed: { keys: [], reason },
    };
    const end = await endDeferrals(ledger, TARGET, result, { deferrals: 200, final: false });
    expect(end.error?.message).toContain(c?.shown);
    for (const leak of c?.leaks ?? []) expect(end.error?.message).not.toContain(leak);
  });
});
