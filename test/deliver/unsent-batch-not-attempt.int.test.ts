/**
 * A batch whose request never left this host is no attempt of its licenses. Two ways it happens:
 * a wait the platform asked for (Retry-After) begins between the deliver stage's look at it and
 * the send, and the request is held back (adapters/platforms/shared/send-pause.ts); or an earlier
 * request of the same call failed and sending stopped, the batches after it never sent. Each such
 * license was counted a failed attempt all the same (`attempts + 1`, a `deliver-attempt` entry in
 * the audit chain saying it was tried), so the audit said it was sent when it was not, and its next
 * try asked the platform first about a send that never happened.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { AuthStrategy } from '../../adapters/platforms/shared/auth/auth-strategy.js';
import { SendPause } from '../../adapters/platforms/shared/send-pause.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import {
  type ScriptedReply,
  type ScriptedServer,
  startScriptedServer,
} from '../platforms/scripted-server.js';

const SEAL = 'seal-unsent';
const PIPELINE = 'unsent-batch';

describe('a batch not sent is no attempt of its licenses', () => {
  let db: TestDatabase;
  let ledger: Ledger;
  let server: ScriptedServer;
  let reply: (n: number, keys: string[]) => ScriptedReply;
  const commit = signedRuns(() => ledger, PIPELINE, SEAL);

  const accepted = (keys: string[]): ScriptedReply => ({
    status: 200,
    body: { code: 0, results: keys.map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })) },
  });
  const busy: ScriptedReply = {
    status: 503,
    headers: { 'retry-after': '120' },
    body: { code: 503, reason: 'SYSTEM_BUSY' },
  };
  /** Each delivery's state and attempts, in the order of `ids`. */
  const statesOf = async (ids: number[]) =>
    (await ledger.getDeliveries((await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key))).map(
      (r) => [r.state, r.attempts],
    );
  /** What delivering `ids` through `target` threw, or undefined. */
  const errorOf = (target: RestJsonTarget, ids: number[]) =>
    deliverVersions(target, SEAL, ledger, ids).then(
      () => undefined,
      (e: unknown) => e,
    );
  const lastSeq = async () => (await ledger.readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
  const attemptEntries = async (afterSeq: number) =>
    (await ledger.readAudit({ afterSeq, limit: 100_000 })).filter((e) => e.action === 'deliver-attempt');

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  // A platform of its own for each case: a wait one asked for holds back this process's requests to it.
  beforeEach(async () => {
    server = await startScriptedServer((n, req) => {
      const doc = JSON.parse(req.body) as { items?: { key: string }[] };
      return reply(
        n,
        (doc.items ?? []).map((i) => i.key),
      );
    });
  });
  afterEach(async () => {
    await server?.close();
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });

  it('counts none for a batch held back by a wait that began just before its send', async () => {
    reply = (_n, keys) => accepted(keys);
    // Another job's batch answered 503 Retry-After while this one's credentials were made: the
    // wait begins after the stage looked (waitLeft) and before the request goes.
    const origin = new URL(server.url).origin;
    const auth: AuthStrategy = {
      headers: async () => {
        new SendPause('province', origin).note(
          new LicbridgeError(
            ErrorCodes.TARGET_UNREACHABLE,
            'target province: batch upload failed: HTTP 503',
            {
              retryable: true,
              context: { retryAfterMs: 120_000 },
            },
          ),
        );
        return {};
      },
    };
    const target = new RestJsonTarget('province', restConfig(server.url, { batchSize: 2 }), { auth });
    try {
      const ids = await commit(candidates(1, 3, { pipeline: PIPELINE }));
      const before = await lastSeq();
      const error = await errorOf(target, ids);
      expect(error).toMatchObject({ retryable: true });
      expect(retryAfterOf(error)).toBeGreaterThan(0);
      expect(server.seen).toHaveLength(0);
      expect(await statesOf(ids)).toEqual([
        ['pending', 0],
        ['pending', 0],
        ['pending', 0],
      ]);
      expect(await attemptEntries(before)).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('counts the batch the platform answered busy, not those after it that never went', async () => {
    const target = new RestJsonTarget('province', restConfig(server.url, { batchSize: 1 }));
    try {
      const ids = await commit(candidates(11, 3, { pipeline: PIPELINE }));
      const before = await lastSeq();
      reply = (n, keys) => (n === 0 ? accepted(keys) : busy);
      const error = await errorOf(target, ids);
      expect(retryAfterOf(error)).toBe(120_000);
      expect(server.seen).toHaveLength(2);
      expect(await statesOf(ids)).toEqual([
        ['accepted', 1],
        ['pending', 1],
        ['pending', 0],
      ]);
      const entries = await attemptEntries(before);
      expect(entries).toHaveLength(1);
      expect(JSON.parse(entries[0]?.detail ?? '{}')).toMatchObject({ step: 'send', reason: 'http-503' });
    } finally {
      await target.close();
    }
  });
});
