/**
 * A status answer that echoes the holder's id as its status (a validator writing the value it
 * checks where the status belongs) is an unknown status: its reason is kept on the delivery as its
 * last error, quoted by `licbridge status` (delivery-checks-failing) and, at the job's last
 * attempt, made a dead letter's reason. None of them may hold the id, whole or cut: the adapter
 * cuts its runs of seven or more digits before the stage masks the license's values, so an id of
 * letters and digits (a unified social credit code) came through with all but its first digits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { failingChecksAttention } from '../../pipelines/observability/delivery-attention.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { scriptedProvince, submittedWithId } from '../platforms/scripted-province.js';
import type { ScriptedServer } from '../platforms/scripted-server.js';

const SEAL = 'seal-poll-personal';
const PIPELINE = 'poll-personal';
/** The holder id of every license of ledger/fixtures.ts: a unified social credit code. */
const HOLDER_ID = '91370211MA3C000000';
/** What is left of it once its run of digits is cut to the last four. */
const HOLDER_ID_TAIL = '0211MA3C000000';

for (const backend of BACKENDS) {
  describe(`a status answer echoing the holder's id (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    let server: ScriptedServer;
    let province: RestJsonTarget;
    let statusResults: (key: string) => unknown[] = () => [];
    const commit = signedRuns(() => ledger, PIPELINE, SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
      ({ server, province } = await scriptedProvince({
        batch: submittedWithId,
        status: (key) => statusResults(key),
      }));
    });
    afterAll(async () => {
      await province?.close();
      await server?.close();
      await ledger?.close();
      await db?.dispose();
    });

    it('is masked in the last error, the status line and the dead letter', async () => {
      const ids = await commit(candidates(1, 1, { pipeline: PIPELINE }));
      expect(await deliverVersions(province, SEAL, ledger, ids)).toMatchObject({ submitted: 1 });
      statusResults = (k) => [{ key: k, status: HOLDER_ID, platformId: `P-${k}`, errors: [] }];
      const polled = await deliverVersions(province, SEAL, ledger, ids);
      const key = polled.pollFailed?.keys[0] ?? '';
      expect(key).not.toBe('');

      const [row] = await ledger.getDeliveries([key]);
      expect(row?.lastError).toMatch(/^platform answered with an unknown status/);
      const notes = await failingChecksAttention(ledger, PIPELINE, ['province']);
      expect(notes).toHaveLength(1);
      const end = await endDeferrals(ledger, 'province', polled, { deferrals: 200, final: true });
      expect(end).toEqual({ dead: 1 });
      const [dead] = await ledger.listDeadLetters({ keys: [key] });

      for (const text of [
        row?.lastError,
        notes[0]?.message,
        polled.pollFailed?.reason,
        ...(dead?.reasons ?? []),
      ]) {
        expect(text).toBeDefined();
        expect(text).not.toContain(HOLDER_ID_TAIL);
      }
    });
  });
}
