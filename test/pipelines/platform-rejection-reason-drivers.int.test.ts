/**
 * A platform's reasons for rejecting a license are kept in the ledger as the dead letter's reasons,
 * and `licbridge dlq list` and `dlq show` print them. Platforms echo what they refuse, and a
 * platform fronting a database quotes its driver's words: those reasons were kept with only the
 * license's own values masked and runs of seven or more digits cut, so a quoted name, a URL's
 * password, a passport number's last four digits and an ID or mobile number written in groups
 * were stored and printed. Each reason is kept now as failureMessage makes any error's text safe
 * (test/support/driver-error-cases.ts), cut to 200 characters; the platform's code and the field
 * it names stay.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { type ScriptedProvince, scriptedProvince } from '../platforms/scripted-province.js';
import { type DriverErrorCase, driverErrorCases } from '../support/driver-error-cases.js';

const SEAL = 'seal-rejection-reasons';
const PIPELINE = 'rejection-reasons';
const TARGET = 'province';

let database: TestDatabase;
let ledger: Ledger;
let platform: ScriptedProvince;
/** What the platform answers for each key it is sent: rejected, with these reasons. */
const reasonsOf = new Map<string, string[]>();
const commit = signedRuns(() => ledger, PIPELINE, SEAL);
let next = 0;

beforeAll(async () => {
  database = await sqliteBackend.create();
  ledger = await openLedger(database.url, { logger: quietLogger });
  platform = await scriptedProvince({
    batch: (key) => [{ key, status: 'rejected', platformId: null, errors: reasonsOf.get(key) ?? [] }],
    status: () => [],
  });
});

afterAll(async () => {
  await platform?.province.close();
  await platform?.server.close();
  await ledger?.close();
  await database?.dispose();
});

/**
 * One new signed version sent to the platform, which rejects it with `reasons`; the reasons the
 * ledger then keeps for its dead letter, as `dlq show` prints them.
 */
async function rejectedWith(reasons: string[]): Promise<string[]> {
  next += 1;
  const ids = await commit(candidates(next, 1, { pipeline: PIPELINE }));
  const [row] = await ledger.ensureDeliveries(ids, TARGET);
  const key = row?.key as string;
  reasonsOf.set(key, reasons);
  expect(await deliverVersions(platform.province, SEAL, ledger, ids)).toMatchObject({ dead: 1 });
  const [dead] = await ledger.listDeadLetters({ keys: [key] });
  expect(dead?.state).toBe('dead');
  return dead?.reasons ?? [];
}

/** A case's text as a platform's reason is kept: as failureMessage shows it, cut to 200 characters. */
function keptAs(c: DriverErrorCase): string {
  const chars = Array.from(c.whole ?? c.shown);
  return chars.length > 200 ? `${chars.slice(0, 200).join('')}…` : chars.join('');
}

/** The message of an error, as a platform quoting its database's words writes it: text. */
const told = (error: unknown) => (error instanceof Error ? error.message : String(error));

describe("a platform's rejection quoting its database's words", () => {
  // An empty reason is no reason: the platform's rejection then says it gave none.
  for (const c of driverErrorCases().filter((x) => told(x.error) !== '')) {
    it(c.name, async () => {
      const reason = told(c.error);
      const kept = await rejectedWith([reason]);
      // Told as text: a licbridge error's words are no longer known as its own, but hold no backticks here.
      if (!isLicbridgeError(c.error) || !reason.includes('`')) expect(kept).toEqual([keptAs(c)]);
      for (const leak of c.leaks) expect(kept.join('\n')).not.toContain(leak);
    });
  }
});

describe("a platform's rejection echoing what it refuses", () => {
  it('hides a quoted name, a URL password, a passport number and numbers written in groups', async () => {
    const password = `Cb${randomBytes(9).toString('base64url')}`;
    const kept = await rejectedWith([
      'E201 holder "Ouyang Xiuying" does not match the registered holder',
      "E202 持有人 '欧阳秀英' 与登记不符",
      `E301 callback https://app:${password}@cb.example/notify refused`,
      'E401 passport E12345678 has expired',
      'E402 id 110105 19491231 002X fails its check character',
      'E403 mobile 138 0013 8000 is not a mobile number',
    ]);
    expect(kept).toEqual([
      'E201 holder "***" does not match the registered holder',
      "E202 持有人 '***' 与登记不符",
      'E301 callback https://***@cb.example/notify refused',
      'E401 passport E*******8 has expired',
      'E402 id 1101** ******** 002X fails its check character',
      'E403 mobile *********8000 is not a mobile number',
    ]);
    const all = kept.join('\n');
    for (const leak of ['Ouyang', '欧阳', password, '5678', '110105', '1231', '138 0013']) {
      expect(all).not.toContain(leak);
    }
  });

  it("keeps the platform's code and the field it names, as the operator fixes them", async () => {
    const reasons = [
      'E102 number already registered',
      'zzbh: required (number)',
      'E305 field ZZLXDM holds an unknown code',
      '证照编号 (ZZBH) 已存在: E102',
    ];
    expect(await rejectedWith(reasons)).toEqual(reasons);
  });
});
