/**
 * A province platform answering a batch with a non-zero code that is neither busy nor a refusal of
 * the credentials or the size (`2`, "partly accepted") and a result for some of its items. Each
 * item with a result is recorded by it, as under code 0: one accepted is accepted at once, one
 * rejected is a dead letter with the platform's own reason. Read as a refusal of the whole request,
 * the rejection spent every attempt and was dead-lettered as `platform code 2`, and on the job's
 * last attempt the accepted license was dead-lettered too though the platform holds it. An item
 * without a result keeps the refusal of the request: retried, its reason naming the code. Results
 * for keys the request did not send decide nothing, and a busy code is the whole request's still.
 * Driven through the deliver stage over HTTP, both ledgers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deadLetterOpen } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import {
  type ScriptedReply,
  type ScriptedServer,
  startScriptedServer,
} from '../platforms/scripted-server.js';

const SEAL = 'seal-partly-accepted';
const PIPELINE = 'partly-accepted';
/** The platform's own reason for the item it refused: what the operator fixes. */
const OWN_REASON = 'zzbh: number already held by another license of this issuer';

describe.each(BACKENDS)('a batch answered with code 2 and per-item results ($name)', (backend) => {
  let db: TestDatabase;
  let ledger: Ledger;
  let server: ScriptedServer;
  let target: RestJsonTarget;
  /** How the platform answers a batch, from the keys sent in it; set by each test. */
  let batch: (keys: string[]) => ScriptedReply;
  const commit = signedRuns(() => ledger, PIPELINE, SEAL);

  beforeAll(async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    server = await startScriptedServer((_n, req) => {
      if (req.url === '/licenses/status') return { status: 200, body: { code: 0, results: [] } };
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      return batch(items.map((i) => i.key));
    });
    target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 5000 }));
  });
  afterAll(async () => {
    await target?.close();
    await server?.close();
    await ledger?.close();
    await db?.dispose();
  });

  const rowsOf = async (ids: number[]) => {
    const rows = await ledger.ensureDeliveries(ids, 'province');
    return new Map((await ledger.getDeliveries(rows.map((r) => r.key))).map((r) => [r.key, r]));
  };

  it('records each item by its own result, and one without a result as the refused request', async () => {
    const ids = await commit(candidates(1, 3, { pipeline: PIPELINE }));
    let keys: string[] = [];
    batch = (sent) => {
      keys = sent;
      return {
        status: 200,
        body: {
          code: 2,
          reason: 'PARTLY_ACCEPTED',
          batchId: 'B-2',
          results: [
            { key: sent[0], status: 'accepted', platformId: 'P-100' },
            { key: sent[1], status: 'rejected', errors: [OWN_REASON] },
          ],
        },
      };
    };
    const before = (await ledger.readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
    const thrown = await deliverVersions(target, SEAL, ledger, ids).catch((e: unknown) => e);
    const [accepted, rejected, unanswered] = keys as [string, string, string];
    let rows = await rowsOf(ids);
    expect(rows.get(accepted)).toMatchObject({ state: 'accepted', platformId: 'P-100' });
    expect(rows.get(rejected)).toMatchObject({ state: 'dead', reasons: [OWN_REASON] });
    expect(rows.get(unanswered)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(rows.get(unanswered)?.lastError).toMatch(/platform code 2 \(PARTLY_ACCEPTED\)/);
    // Its attempt is audited by the answer's code, as a request refused whole is.
    const attempts = (await ledger.readAudit({ afterSeq: before, limit: 1000 })).filter(
      (e) => e.action === 'deliver-attempt',
    );
    expect(attempts.map((e) => JSON.parse(e.detail).reason)).toEqual(['code-2']);
    expect(attempts[0]).toMatchObject({ licenseId: rows.get(unanswered)?.licenseId });
    expect(thrown).toMatchObject({
      retryable: true,
      message: expect.stringMatching(
        /^deliver: 1 of 3 deliveries to province did not land yet: .*platform code 2/,
      ),
    });

    // The job's last attempt spent: what is still open becomes a dead letter, nothing else.
    await deadLetterOpen(ledger, ids, 'province', thrown);
    rows = await rowsOf(ids);
    expect(rows.get(accepted)).toMatchObject({ state: 'accepted', platformId: 'P-100' });
    expect(rows.get(rejected)).toMatchObject({ state: 'dead', reasons: [OWN_REASON] });
    expect(rows.get(unanswered)?.state).toBe('dead');
    expect(rows.get(unanswered)?.reasons.join(' ')).toMatch(/platform code 2/);
  });

  it('marks nothing accepted when the results name keys the request did not send', async () => {
    const ids = await commit(candidates(11, 2, { pipeline: PIPELINE }));
    batch = (sent) => ({
      status: 200,
      body: {
        code: 2,
        results: sent.map((key) => ({ key: `other-${key}`, status: 'accepted', platformId: 'P-9' })),
      },
    });
    await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/platform code 2/),
    });
    const rows = [...(await rowsOf(ids)).values()];
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
  });

  it('retries the whole request on a busy code, whatever results it carries', async () => {
    const ids = await commit(candidates(21, 2, { pipeline: PIPELINE }));
    batch = (sent) => ({
      status: 200,
      headers: { 'retry-after': '30' },
      body: { code: 503, results: sent.map((key) => ({ key, status: 'accepted', platformId: 'P-7' })) },
    });
    await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject({
      retryable: true,
      context: { retryAfterMs: 30_000 },
    });
    const rows = [...(await rowsOf(ids)).values()];
    expect(rows.map((r) => r.state)).toEqual(['pending', 'pending']);
  });
});
