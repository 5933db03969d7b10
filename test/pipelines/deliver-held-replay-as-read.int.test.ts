/**
 * licbridge's replay of a letter held behind its issue writes over the letter it checked, not over
 * a second read: 16072ed7 checked the letters deadSuccessors read, then handed their keys to
 * replayDeadLetters, which read them again and wrote over that read. A letter an operator replayed
 * meanwhile, sent and refused by the platform (dead again, for the refusal) was reopened by
 * licbridge as if still held, and sent again unasked.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { HELD_REPLAY_ACTOR, replayHeldBehind } from '../../pipelines/held-replay.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-held-as-read';
const PIPELINE = 'held-as-read';

const underReview = (key: string): unknown[] => [
  { key, status: 'submitted', platformId: `P-${key}`, errors: [] },
];
const refused = (key: string): unknown[] => [
  { key, status: 'rejected', errors: [{ code: 'E1', message: 'refused' }] },
];

for (const backend of BACKENDS) {
  describe(`a held letter replayed by licbridge (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    it('is not reopened once an operator replayed it and the platform refused it meanwhile', async () => {
      env.batch = underReview;
      env.status = underReview;
      const [v1] = await commit([candidate({ n: 1, pipeline: PIPELINE })]);
      await deliverVersions(env.province, SEAL, env.ledger, [v1 as number]);
      const [v2] = await commit([candidate({ n: 1, pipeline: PIPELINE, status: 'revoked' })]);
      const versionIds = [v1 as number, v2 as number];
      const checked = await deliverVersions(env.province, SEAL, env.ledger, versionIds);
      const end = await endDeferrals(env.ledger, 'province', checked, {
        deferrals: 200,
        final: true,
        versionIds,
      });
      expect(end).toMatchObject({ dead: 1, held: 1 });
      const [issue, held] = await env.ledger.ensureDeliveries(versionIds, 'province');
      const revocation = held?.key ?? '';
      // The issue accepted some other way: nothing replayed the revocation yet.
      await env.ledger.recordDeliveryOutcomes([{ key: issue?.key ?? '', state: 'accepted' }]);

      // Between licbridge's check and its write: an operator replays the letter, its job sends it,
      // the platform refuses it.
      const ledger = new Proxy(env.ledger, {
        get(t, p, r) {
          const f = Reflect.get(t, p, r);
          if (p !== 'replayDeadLetters') return typeof f === 'function' ? f.bind(t) : f;
          return async (...a: Parameters<Ledger['replayDeadLetters']>) => {
            if (a[2] === HELD_REPLAY_ACTOR) {
              await t.replayDeadLetters([revocation], 'operator');
              env.batch = refused;
              await deliverVersions(env.province, SEAL, t, [v2 as number]);
            }
            return t.replayDeadLetters(...a);
          };
        },
      }) as Ledger;

      expect(await replayHeldBehind(ledger, 'province', [v1 as number])).toEqual([]);
      const [row] = await env.ledger.getDeliveries([revocation]);
      expect(row?.state).toBe('dead');
      expect(row?.reasons.join('; ')).toMatch(/refused/);
    });
  });
}
