/**
 * A deliver call asks the platform about a send whose answer was lost before sending anything
 * (stages/deliver-lost-answers.ts). A status request answered with Retry-After sends nothing more:
 * the platform asked every caller to wait, and the call's other open deliveries are held back by
 * the same wait. The job's error counted the unasked one alone and named only it ('1 of 3
 * deliveries did not land yet: the platform could not be asked whether it holds them: …'), so the
 * two never sent were left out of the count, and the dead letters a last attempt writes with that
 * error said nothing of why they went unsent. They are counted and named now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { startKeyedStandIn } from '../deliver/keyed-stand-in.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import type { ScriptedReply, ScriptedServer } from '../platforms/scripted-server.js';

const SEAL = 'seal-lost-answer-wait';
const PIPELINE = 'lost-answer-wait';

describe('a status request about a lost answer answered with Retry-After', () => {
  let db: TestDatabase;
  let ledger: Ledger;
  let server: ScriptedServer;
  let target: RestJsonTarget;
  /** How the platform answers a request; `status` says it is a status request. */
  let reply: (keys: string[], status: boolean) => ScriptedReply;
  const commit = signedRuns(() => ledger, PIPELINE, SEAL);

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    server = await startKeyedStandIn((_n, keys, status) => reply(keys, status));
    // One license a request: each version its own batch.
    target = new RestJsonTarget('province', restConfig(server.url, { batchSize: 1, timeoutMs: 2000 }));
  });
  afterAll(async () => {
    await target?.close();
    await server?.close();
    await ledger?.close();
    await db?.dispose();
  });

  it('counts the open deliveries the wait held back, and says why they were not sent', async () => {
    const [unsure, fresh, fresh2] = await commit(candidates(1, 3, { pipeline: PIPELINE }));
    if (unsure === undefined || fresh === undefined || fresh2 === undefined)
      throw new Error('three versions expected');
    // A gateway's page: the answer to the first send is lost.
    reply = () => ({ status: 200, body: '<html>maintenance</html>' });
    await expect(deliverVersions(target, SEAL, ledger, [unsure])).rejects.toMatchObject({ retryable: true });

    const asked = server.seen.length;
    reply = (keys, status) =>
      status
        ? { status: 503, headers: { 'retry-after': '60' }, body: { code: 503, reason: 'SYSTEM_BUSY' } }
        : {
            status: 200,
            body: {
              code: 0,
              results: keys.map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })),
            },
          };
    const error = await deliverVersions(target, SEAL, ledger, [unsure, fresh, fresh2]).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ retryable: true });
    expect(retryAfterOf(error)).toBe(60_000);
    // The status request alone; all three still open, the two fresh ones never sent.
    expect(server.seen.slice(asked).map((r) => r.url)).toEqual(['/licenses/status']);
    const rows = await ledger.getDeliveries(
      (await ledger.ensureDeliveries([unsure, fresh, fresh2], 'province')).map((r) => r.key),
    );
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 0],
      ['pending', 0],
    ]);
    // All three counted, each one's why named: the error is what a last attempt's dead letters say.
    // The two never sent were left out ('1 of 3').
    expect((error as Error).message).toMatch(
      /^deliver: 3 of 3 deliveries to province did not land yet: the platform could not be asked whether it holds them: .*HTTP 503 \(SYSTEM_BUSY\); 2 not sent: the platform asked every caller to wait \(Retry-After\)$/,
    );
  });
});
