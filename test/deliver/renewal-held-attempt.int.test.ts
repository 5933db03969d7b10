/**
 * A batch answered 401 reached the platform: it is an attempt of its licenses, whatever becomes of
 * the one retry with renewed credentials. That retry may not leave at all: held back by a wait the
 * platform asked every caller for while the token was renewed (another job's batch answered 429),
 * or by the token endpoint busy with a Retry-After. Either way the licenses count one attempt, with
 * one deliver-attempt audit entry, and the retry sends nothing.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes } from '../../core/errors.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import { sqliteLedgerForFile } from '../support/file-ledger.js';

const SEAL = 'seal-token';
const PIPELINE = 'renewal-held';

type Reply = { status: number; headers?: Record<string, string>; body: unknown };

function answer(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
  res.end(JSON.stringify(reply.body));
}

describe('a batch answered 401 whose retry with renewed credentials is held back', () => {
  const { ledger, cleanups } = sqliteLedgerForFile();
  const commit = signedRuns(ledger, PIPELINE, SEAL);
  let from = 1;
  let targets = 0;

  /**
   * A platform and its token endpoint on one host. Token request `n` (from 0) is answered
   * `token(n)`; batch request `n` by `batch(n, keys)`, which may answer later.
   */
  async function platform(
    token: (n: number) => Reply,
    batch: (n: number, keys: string[]) => Reply | Promise<Reply>,
  ): Promise<{ target: RestJsonTarget; batches: () => number }> {
    let tokens = 0;
    let batches = 0;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (req.url?.startsWith('/oauth/token')) return answer(res, token(tokens++));
        const { items } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: { key: string }[] };
        answer(
          res,
          await batch(
            batches++,
            items.map((i) => i.key),
          ),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    targets += 1;
    const target = new RestJsonTarget(
      `province-held-${process.pid}-${targets}`,
      restConfig(url, {
        batchSize: 1,
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${url}/oauth/token`,
          clientId: 'district',
          clientSecret: 'fake-secret',
          refreshSkewSeconds: 60,
        },
      }),
    );
    cleanups.push(() => target.close());
    return { target, batches: () => batches };
  }

  const issued = (n: number): Reply => ({
    status: 200,
    body: { access_token: `tok-${n + 1}`, expires_in: 7200 },
  });

  async function newLicenses(count: number): Promise<number[]> {
    const ids = await commit(candidates(from, count, { pipeline: PIPELINE }));
    from += count;
    return ids;
  }

  /** Each delivery's state and attempts, and the deliver-attempt audit entries written since `after`. */
  async function seen(target: RestJsonTarget, ids: number[], after: number) {
    const rows = await ledger().getDeliveries(
      (await ledger().ensureDeliveries(ids, target.name)).map((r) => r.key),
    );
    const entries = (await ledger().readAudit({ afterSeq: after, limit: 100_000 })).filter(
      (e) => e.action === 'deliver-attempt',
    );
    const licenses = new Set(rows.map((r) => r.licenseId));
    return {
      states: rows.map((r) => [r.state, r.attempts]),
      entries: entries.filter((e) => e.licenseId !== null && licenses.has(e.licenseId)),
    };
  }

  const lastSeq = async () => (await ledger().readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;

  it('by a wait another job was asked for meanwhile: the batch that left is one attempt', async () => {
    let reachedA!: () => void;
    const aReached = new Promise<void>((r) => {
      reachedA = r;
    });
    let answerA!: (reply: Reply) => void;
    const aAnswer = new Promise<Reply>((r) => {
      answerA = r;
    });
    const { target, batches } = await platform(issued, (n) => {
      if (n === 0) {
        // Job A's batch: answered 401 only once job B was asked to wait.
        reachedA();
        return aAnswer;
      }
      return { status: 429, headers: { 'retry-after': '120' }, body: { code: 429 } };
    });
    const idsA = await newLicenses(1);
    const idsB = await newLicenses(1);
    const before = await lastSeq();
    const jobA = deliverVersions(target, SEAL, ledger(), idsA).then(
      () => undefined,
      (e: unknown) => e,
    );
    await aReached;
    const errorB = await deliverVersions(target, SEAL, ledger(), idsB).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorB).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(target.waitLeft()).toBeGreaterThan(0);
    answerA({ status: 401, body: { reason: 'invalid_token' } });
    const errorA = await jobA;
    expect(errorA).toMatchObject({ retryable: true });
    // A's retry never left: the platform saw A's batch and B's, nothing more.
    expect(batches()).toBe(2);
    const a = await seen(target, idsA, before);
    expect(a.states).toEqual([['pending', 1]]);
    expect(a.entries).toHaveLength(1);
    expect((await seen(target, idsB, before)).states).toEqual([['pending', 1]]);
  });

  it('by the token endpoint busy with a Retry-After: the batch that left is one attempt, the wait held', async () => {
    const { target, batches } = await platform(
      (n) =>
        n === 0
          ? issued(n)
          : { status: 503, headers: { 'retry-after': '120' }, body: { error: 'temporarily_unavailable' } },
      () => ({ status: 401, body: { reason: 'invalid_token' } }),
    );
    const ids = await newLicenses(1);
    const before = await lastSeq();
    const error = await deliverVersions(target, SEAL, ledger(), ids).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(batches()).toBe(1);
    const { states, entries } = await seen(target, ids, before);
    expect(states).toEqual([['pending', 1]]);
    expect(entries).toHaveLength(1);
    expect(target.waitLeft()).toBeGreaterThan(0);
  });
});
