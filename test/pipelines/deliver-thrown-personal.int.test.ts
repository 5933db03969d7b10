/**
 * A target that fails a whole send throws, and the deliver stage keeps the error's message on each
 * delivery as its last error, which `licbridge dlq list` and `licbridge status` print. A target's
 * error quoting a platform's or a database's words may name the holders it was sent (`持证人 …
 * 已存在`): their names and ids are masked there, as in a rejection's reasons (deliver-reasons.ts),
 * and in the error passed on to the job (its reason in Redis, the logs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';

const SEAL = 'seal-thrown-personal';
const PIPELINE = 'thrown-personal';
/** The holder of license 1 of ledger/fixtures.ts. */
const HOLDER_NAME = '经营者1';

let db: TestDatabase;
let ledger: Ledger;
const commit = signedRuns(() => ledger, PIPELINE, SEAL);

beforeAll(async () => {
  db = await sqliteBackend.create();
  ledger = await openLedger(db.url, { logger: quietLogger });
});
afterAll(async () => {
  await ledger?.close();
  await db?.dispose();
});

describe('a whole send a target failed', () => {
  it("keeps no holder's name in the deliveries' last error, the target's words kept", async () => {
    const ids = await commit(candidates(1, 2, { pipeline: PIPELINE }));
    const target = {
      name: 'province',
      deliver: async () => {
        throw new LicbridgeError(
          ErrorCodes.TARGET_UNREACHABLE,
          `target province: batch upload failed: 持证人 ${HOLDER_NAME} 已存在`,
          { retryable: true },
        );
      },
    } as unknown as TargetAdapter;
    const thrown = await deliverVersions(target, SEAL, ledger, ids).catch((e: unknown) => e);
    // Passed on to the job, whose error Redis and the logs keep: masked too, code and retry kept.
    expect(thrown).toBeInstanceOf(LicbridgeError);
    expect(thrown).toMatchObject({
      code: ErrorCodes.TARGET_UNREACHABLE,
      retryable: true,
      message: 'target province: batch upload failed: 持证人 *** 已存在',
    });
    const rows = await ledger.getDeliveries(
      (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key),
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.attempts).toBe(1);
      expect(row.lastError).toBe('target province: batch upload failed: 持证人 *** 已存在');
    }
  });

  it("masks a holder's name in an error of another kind a target threw, its class and code kept", async () => {
    const ids = await commit(candidates(3, 1, { pipeline: PIPELINE }));
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint: 经营者3'), {
      code: '23505',
    });
    const target = {
      name: 'city',
      deliver: async () => {
        throw driverError;
      },
    } as unknown as TargetAdapter;
    const thrown = await deliverVersions(target, SEAL, ledger, ids).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(LicbridgeError);
    expect(thrown).toMatchObject({
      code: '23505',
      message: 'duplicate key value violates unique constraint: ***',
    });
    expect(String((thrown as Error).stack)).not.toContain('经营者3');
  });
});
