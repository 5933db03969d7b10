/**
 * A platform's wait (Retry-After) that begins after the deliver stage looked for one and before the
 * target sends a wave's batch: another job's batch answered 429 in between. The target sends nothing
 * (adapters/platforms/shared/send-pause.ts) and fails `unsent`. The call must end with the wait as
 * its Retry-After, so the deliver worker puts the job back without spending an attempt (at its last
 * attempt, a spent one dead-letters the job's deliveries), and the deliveries stay pending.
 */
import { describe, expect, it } from 'vitest';
import { SendPause } from '../../adapters/platforms/shared/send-pause.js';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../../core/errors.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-wait-mid-wave';
const PIPELINE = 'wait-mid-wave';

for (const backend of BACKENDS) {
  describe(`a wait begun between the stage's look and the send (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    it('sends nothing, and ends with the wait so the job goes back unspent', async () => {
      const versionIds = await commit([1, 2, 3].map((n) => candidate({ n, pipeline: PIPELINE })));
      const real = env.province;
      // Another job's batch is answered 429 with Retry-After just as this wave goes to the target.
      const target: TargetAdapter = {
        name: real.name,
        kind: real.kind,
        deliver: (items) => {
          new SendPause(real.name, new URL(env.server.url).origin).note(
            new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target province: HTTP 429', {
              retryable: true,
              context: { status: 429, retryAfterMs: 60_000 },
            }),
          );
          return real.deliver(items);
        },
        poll: (submitted) => real.poll(submitted),
        waitLeft: () => real.waitLeft(),
        close: async () => undefined,
      };
      const before = env.server.seen.length;
      const thrown = await deliverVersions(target, SEAL, env.ledger, versionIds).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isLicbridgeError(thrown) && thrown.retryable, String(thrown)).toBe(true);
      expect(String(thrown)).toContain('batch upload');
      expect(String(thrown)).toContain('not sent: the platform asked every caller to wait');
      // What the deliver worker reads to put the job back without spending an attempt.
      expect(retryAfterOf(thrown)).toBeGreaterThan(0);
      expect(env.server.seen.length).toBe(before);
      const rows = await env.ledger.getDeliveries(
        (await env.ledger.ensureDeliveries(versionIds, 'province')).map((r) => r.key),
      );
      expect(rows.map((r) => r.state)).toEqual(['pending', 'pending', 'pending']);
      expect(await env.ledger.listDeadLetters({ target: 'province' })).toEqual([]);
    });
  });
}
