/**
 * A status answer that echoes the holder's id as its status (a validator writing the value it
 * checks where the status belongs) is an unknown status: its reason is kept on the delivery as its
 * last error, quoted by `licbridge status` (delivery-checks-failing) and, at the job's last
 * attempt, made a dead letter's reason. None of them may hold the id, whole or cut: the adapter
 * cuts its runs of seven or more digits before the stage masks the license's values, so an id of
 * letters and digits (a unified social credit code) came through with all but its first digits.
 */
import { describe, expect, it } from 'vitest';
import { failingChecksAttention } from '../../pipelines/observability/delivery-attention.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-poll-personal';
const PIPELINE = 'poll-personal';
/** The holder id of every license of ledger/fixtures.ts: a unified social credit code. */
const HOLDER_ID = '91370211MA3C000000';
/** What is left of it once its run of digits is cut to the last four. */
const HOLDER_ID_TAIL = '0211MA3C000000';

for (const backend of BACKENDS) {
  describe(`a status answer echoing the holder's id (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    it('is masked in the last error, the status line and the dead letter', async () => {
      const ids = await commit(candidates(1, 1, { pipeline: PIPELINE }));
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 1 });
      env.status = (k) => [{ key: k, status: HOLDER_ID, platformId: `P-${k}`, errors: [] }];
      const polled = await deliverVersions(env.province, SEAL, env.ledger, ids);
      const key = polled.pollFailed?.keys[0] ?? '';
      expect(key).not.toBe('');

      const [row] = await env.ledger.getDeliveries([key]);
      expect(row?.lastError).toMatch(/^platform answered with an unknown status/);
      const notes = await failingChecksAttention(env.ledger, PIPELINE, ['province'], 'Asia/Shanghai');
      expect(notes).toHaveLength(1);
      const end = await endDeferrals(env.ledger, 'province', polled, { deferrals: 200, final: true });
      expect(end).toEqual({ dead: 1 });
      const [dead] = await env.ledger.listDeadLetters({ keys: [key] });

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
