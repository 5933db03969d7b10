/**
 * A delivery the platform holds as `submitted` whose status request fails retryably (an unknown
 * status, results that disagree) stays `submitted`, and the reason is recorded on it (its
 * `lastError`, one attempt more): `dlq show`, reconcile and an operator can tell why it still
 * waits. The deliver stage reports those keys and the reason to its worker, which logs them and,
 * at the end of its deferrals, names the reason or dead-letters them (deliver-deferrals.ts).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals, warnPollFailures } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-submitted-polls';

for (const backend of BACKENDS) {
  describe(`submitted deliveries whose status request fails (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, 'submitted-polls', SEAL);

    it('records each poll failure on the delivery, leaves it submitted and reports it', async () => {
      const ids = await commit(candidates(1, 2, { pipeline: 'submitted-polls' }));
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 2 });
      const keys: string[] = JSON.parse(env.server.seen[0]?.body ?? '{}').items.map(
        (i: { key: string }) => i.key,
      );

      env.status = (key) => [{ key, status: 'frozen', platformId: `P-${key}`, errors: [] }];
      const first = await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(first).toMatchObject({
        submitted: 2,
        pollFailed: {
          keys: expect.arrayContaining(keys),
          reason: 'platform answered with an unknown status `frozen`',
        },
      });
      expect(first.pollFailed?.keys).toHaveLength(2);
      const held = await env.ledger.getDeliveries(keys);
      expect(held.map((d) => ({ state: d.state, lastError: d.lastError }))).toEqual(
        keys.map(() => ({
          state: 'submitted',
          lastError: 'platform answered with an unknown status `frozen`',
        })),
      );

      // The next check's reason replaces it: the delivery says why it waits now.
      env.status = (key) => [
        { key, status: 'rejected', platformId: null, errors: ['zzbh: 重复'] },
        { key, status: 'accepted', platformId: `P-${key}`, errors: [] },
      ];
      const second = await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(second.pollFailed?.reason).toContain('results for this key that disagree (rejected, accepted)');
      for (const d of await env.ledger.getDeliveries(keys)) {
        expect(d.state).toBe('submitted');
        expect(d.lastError).toContain('that disagree (rejected, accepted)');
      }

      // The platform decides: the delivery is accepted and nothing more is reported.
      env.status = (key) => [{ key, status: 'accepted', platformId: `P-${key}`, errors: [] }];
      const third = await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(third).toMatchObject({ skipped: 2, submitted: 0 });
      expect(third.pollFailed).toBeUndefined();
      expect((await env.ledger.getDeliveries(keys)).map((d) => d.state)).toEqual(['accepted', 'accepted']);
    });

    it('at the end of its deferrals the job names the last reason; on its final attempt those deliveries are dead letters', async () => {
      const ids = await commit(candidates(3, 2, { pipeline: 'submitted-polls' }));
      env.status = () => [];
      const sent = await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(sent).toMatchObject({ submitted: 2 });
      const keys = (await env.ledger.ensureDeliveries(ids, 'province')).map((d) => d.key);

      // One key unknown, the other with no result: each keeps its own reason.
      env.status = (key) =>
        key === keys[0] ? [{ key, status: 'frozen', platformId: `P-${key}`, errors: [] }] : [];
      const polled = await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(polled.pollFailed?.keys).toHaveLength(2);

      const lines: { msg: string; target?: string; deliveries?: number; reason?: string }[] = [];
      const log = pino({ level: 'warn' }, { write: (l: string) => lines.push(JSON.parse(l)) });
      expect(warnPollFailures(log, 'province', polled, false)).toBe(true);
      expect(warnPollFailures(log, 'province', polled, true)).toBe(true);
      expect(lines).toEqual([
        expect.objectContaining({
          target: 'province',
          deliveries: 2,
          reason: 'platform answered with an unknown status `frozen`',
        }),
      ]);

      const before = await endDeferrals(env.ledger, 'province', polled, { deferrals: 200, final: false });
      expect(before.dead).toBe(0);
      expect(before.error).toMatchObject({
        retryable: true,
        message:
          'deliver: 2 deliveries to province still wait after 200 checks; the last failed status request: platform answered with an unknown status `frozen`',
      });
      expect((await env.ledger.getDeliveries(keys)).map((d) => d.state)).toEqual(['submitted', 'submitted']);

      const last = await endDeferrals(env.ledger, 'province', polled, { deferrals: 200, final: true });
      expect(last).toEqual({ dead: 2 });
      const dead = await env.ledger.getDeliveries(keys);
      expect(dead.map((d) => ({ key: d.key, state: d.state, reasons: d.reasons }))).toEqual([
        { key: keys[0], state: 'dead', reasons: ['platform answered with an unknown status `frozen`'] },
        { key: keys[1], state: 'dead', reasons: ['platform answered without a result for this key'] },
      ]);
      expect((await env.ledger.listDeadLetters({ keys })).map((d) => d.key).sort()).toEqual([...keys].sort());
    });

    it('a delivery the platform still reviews stays submitted when the job stops waiting', async () => {
      const ids = await commit(candidates(5, 1, { pipeline: 'submitted-polls' }));
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      env.status = (key) => [{ key, status: 'submitted', platformId: `P-${key}`, errors: [] }];
      const polled = await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(polled.pollFailed).toBeUndefined();
      const end = await endDeferrals(env.ledger, 'province', polled, {
        deferrals: 200,
        lastPollReason: 'platform answered with an unknown status `frozen`',
        final: true,
      });
      // Left to the platform's review, not a failure of the job's (deliver-review-last-attempt).
      expect(end).toEqual({ dead: 0, left: 1 });
      const [d] = await env.ledger.ensureDeliveries(ids, 'province');
      expect(d?.state).toBe('submitted');
    });
  });
}
