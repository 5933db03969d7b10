/**
 * A token endpoint that hands out no token fails the batch before it is sent: the batch never left
 * this host, and is no attempt of its licenses. Counted, each license got attempts + 1 and a
 * deliver-attempt audit entry saying it was tried, and its next try asked the platform about a
 * send that never happened. The failure still shows: the job fails naming the target and the
 * token endpoint (never the client secret), a busy endpoint's Retry-After holds the target's other
 * requests as a platform's does, and a refusal dead-letters the job's deliveries with its words.
 */
import { describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes } from '../../core/errors.js';
import { deadLetterOpen, retryAfterOf } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import {
  type ScriptedReply,
  type ScriptedServer,
  startScriptedServer,
} from '../platforms/scripted-server.js';
import { sqliteLedgerForFile } from '../support/file-ledger.js';

const SEAL = 'seal-token';
const PIPELINE = 'token-failure';
const SECRET = `cs-${process.pid}-${Date.now().toString(36)}`;

describe('a token endpoint that hands out no token', () => {
  const { ledger, cleanups } = sqliteLedgerForFile();
  let from = 1;
  let targets = 0;
  const commit = signedRuns(ledger, PIPELINE, SEAL);

  /** Request `n` to the token endpoint (counted from 0) answered `token(n)`; batches as `batch(n)`. */
  async function platform(
    token: (n: number) => ScriptedReply,
    batch: (n: number, keys: string[]) => ScriptedReply = (_n, keys) => accepted(keys),
  ): Promise<{ server: ScriptedServer; target: RestJsonTarget; batches: () => number }> {
    let tokens = 0;
    let batches = 0;
    const server = await startScriptedServer((_n, req) => {
      if (req.url.startsWith('/oauth/token')) return token(tokens++);
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      return batch(
        batches++,
        items.map((i) => i.key),
      );
    });
    cleanups.push(() => server.close());
    targets += 1;
    const target = new RestJsonTarget(
      `province-${targets}`,
      restConfig(server.url, {
        batchSize: 1,
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${server.url}/oauth/token`,
          clientId: 'district',
          clientSecret: SECRET,
          refreshSkewSeconds: 60,
        },
      }),
    );
    cleanups.push(() => target.close());
    return { server, target, batches: () => batches };
  }
  const accepted = (keys: string[]): ScriptedReply => ({
    status: 200,
    body: { code: 0, results: keys.map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })) },
  });
  const token = (value: string): ScriptedReply => ({
    status: 200,
    body: { access_token: value, expires_in: 7200 },
  });

  /** Delivers three new licenses: what it threw, each delivery's state and attempts, audit entries. */
  async function deliverThree(target: RestJsonTarget) {
    const ids = await commit(candidates(from, 3, { pipeline: PIPELINE }));
    from += 3;
    const before = (await ledger().readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
    const error = await deliverVersions(target, SEAL, ledger(), ids).then(
      () => undefined,
      (e: unknown) => e,
    );
    const rows = await ledger().getDeliveries(
      (await ledger().ensureDeliveries(ids, target.name)).map((r) => r.key),
    );
    const entries = (await ledger().readAudit({ afterSeq: before, limit: 100_000 })).filter(
      (e) => e.action === 'deliver-attempt',
    );
    return { ids, error, states: rows.map((r) => [r.state, r.attempts]), entries };
  }

  it('busy (503 Retry-After): no attempt, the job waits, the target holds its other requests', async () => {
    const { server, target, batches } = await platform(() => ({
      status: 503,
      headers: { 'retry-after': '120' },
      body: { error: 'temporarily_unavailable' },
    }));
    const { error, states, entries } = await deliverThree(target);
    expect(batches()).toBe(0);
    expect(states).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
    ]);
    expect(entries).toEqual([]);
    expect(error).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(retryAfterOf(error)).toBe(120_000);
    const message = (error as Error).message;
    expect(message).toContain(`target ${target.name}`);
    expect(message).toContain(`token request to ${new URL(server.url).origin}`);
    expect(message).not.toContain(SECRET);
    expect(target.waitLeft()).toBeGreaterThan(0);
  });

  it('refusing the client: no attempt, the job fails for good, its dead letters name the endpoint', async () => {
    const { server, target, batches } = await platform(() => ({
      status: 401,
      body: { error: 'invalid_client' },
    }));
    const { ids, error, states, entries } = await deliverThree(target);
    expect(batches()).toBe(0);
    expect(states.map(([, attempts]) => attempts)).toEqual([0, 0, 0]);
    expect(entries).toEqual([]);
    expect(error).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    // What the deliver worker does with a job failed for good: its open deliveries dead-lettered.
    expect(await deadLetterOpen(ledger(), ids, target.name, error)).toBe(3);
    const dead = await ledger().getDeliveries(
      (await ledger().ensureDeliveries(ids, target.name)).map((r) => r.key),
    );
    for (const row of dead) {
      expect(row.state).toBe('dead');
      const reason = JSON.stringify(row);
      expect(reason).toContain(`token request to ${new URL(server.url).origin}`);
      expect(reason).not.toContain(SECRET);
    }
  });

  it('failing the renewal after a batch refused 401: that batch is an attempt, the one after is not', async () => {
    // The first token is honoured for one batch, then refused; the renewal finds the endpoint busy.
    const { target, batches } = await platform(
      (n) => (n === 0 ? token('tok-1') : { status: 503, body: { error: 'temporarily_unavailable' } }),
      (n, keys) => (n === 0 ? accepted(keys) : { status: 401, body: { reason: 'invalid_token' } }),
    );
    const { error, states } = await deliverThree(target);
    expect(error).toMatchObject({ retryable: true });
    expect(batches()).toBe(2);
    expect(states).toEqual([
      ['accepted', 1],
      ['pending', 1],
      ['pending', 0],
    ]);
  });
});
