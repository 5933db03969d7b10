/**
 * A front database that cannot be reached (its connection refused) fails the send before any row
 * is written: nothing of the licenses left this host, and the send is no attempt of them. Counted,
 * each license got attempts + 1 and a deliver-attempt audit entry saying it was tried. The
 * failure still shows: the job fails retryably, naming the target.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../core/errors.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { sqliteLedgerForFile } from '../support/file-ledger.js';
import { refusedFrontDb } from '../support/refused-front-db.js';

const SEAL = 'seal-front';
const PIPELINE = 'front-db-unreachable';

describe('a front database whose connection is refused', () => {
  const { ledger, cleanups } = sqliteLedgerForFile();
  const commit = signedRuns(ledger, PIPELINE, SEAL);
  let from = 1;

  for (const client of ['postgres', 'mysql'] as const) {
    it(`${client}: no attempt, no audit entry, the job fails retryably`, async () => {
      const target = await refusedFrontDb(`city-${client}`, client);
      cleanups.push(() => target.close());
      const ids = await commit(candidates(from, 3, { pipeline: PIPELINE }));
      from += 3;
      const before = (await ledger().readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
      const error = await deliverVersions(target, SEAL, ledger(), ids).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
      expect((error as Error).message).toContain(`target ${target.name}`);
      const rows = await ledger().getDeliveries(
        (await ledger().ensureDeliveries(ids, target.name)).map((r) => r.key),
      );
      expect(rows.map((r) => [r.state, r.attempts])).toEqual([
        ['pending', 0],
        ['pending', 0],
        ['pending', 0],
      ]);
      const entries = (await ledger().readAudit({ afterSeq: before, limit: 100_000 })).filter(
        (e) => e.action === 'deliver-attempt',
      );
      expect(entries).toEqual([]);
    });
  }
});
