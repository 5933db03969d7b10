import { afterEach, describe, expect, it } from 'vitest';
import { batchIdempotencyKey, itemIdentity } from '../../adapters/platforms/rest-json/batch-body.js';
import type { BatchRequestItem } from '../../adapters/platforms/rest-json/batch-wire.js';
import type { RestJsonTargetConfig } from '../../adapters/platforms/rest-json/config.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { ErrorCodes, type LicbridgeError } from '../../core/errors.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME, restConfig, sampleLicense } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(
  options: Parameters<typeof startProvinceSimulator>[0] = {},
): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator(options);
  cleanups.push(() => sim.close());
  return sim;
}

async function scripted(script: Parameters<typeof startScriptedServer>[0]): Promise<ScriptedServer> {
  const s = await startScriptedServer(script);
  cleanups.push(() => s.close());
  return s;
}

function target(config: RestJsonTargetConfig, name = 'province'): RestJsonTarget {
  const t = new RestJsonTarget(name, config);
  cleanups.push(() => t.close());
  return t;
}

describe('rest-json target against the province simulator', () => {
  it('delivers items in batches of batchSize, all accepted, outcomes in input order', async () => {
    const sim = await simulator();
    const t = target(restConfig(sim.url, { batchSize: 2 }));
    const items = [1, 2, 3, 4, 5].map((n) => deliveryItem(n));

    const outcomes = await t.deliver(items);

    expect(outcomes.map((o) => [o.key, o.state])).toEqual(items.map((i) => [i.key, 'accepted']));
    expect(new Set(outcomes.map((o) => o.platformId)).size).toBe(5);
    expect(sim.stats()).toMatchObject({ requests: 3, received: 5, accepted: 5, duplicates: 0 });
    expect(sim.licenses()).toHaveLength(5);
  });

  it('sends the platform field names and code lists', async () => {
    const sim = await simulator();
    const t = target(restConfig(sim.url));
    const longTerm = deliveryItem(2, {
      operation: 'revoke',
      license: sampleLicense(2, { status: 'revoked' }),
    });
    await t.deliver([deliveryItem(1), longTerm]);

    const byKey = new Map(sim.licenses().map((l) => [l.key, l]));
    const first = byKey.get(deliveryItem(1).key);
    expect(first?.operation).toBe('01');
    expect(first?.license).toEqual({
      zzbs: sampleLicense(1).identifier,
      zzbh: sampleLicense(1).number,
      zzlxmc: '食品经营许可证',
      zzlxdm: '11370200MB1234567X001',
      zzbfjg: '青岛西海岸新区市场监督管理局',
      zzbfjgdm: '11370211MB1234567X',
      zzbfrq: '20230405',
      yxqqsrq: '20230405',
      yxqjzrq: '20280404',
      xzqhdm: '370211',
      czzt: HOLDER_NAME,
      czztdm: HOLDER_ID,
      czztdmlx: '111',
      zzzt: '01',
      czlx: '01',
      zmxx: sampleLicense(1).surface,
    });
    expect(first?.signature).toEqual(deliveryItem(1).signature);
    const second = byKey.get(longTerm.key);
    expect(second?.license).toMatchObject({ yxqjzrq: '', zzzt: '07', czlx: '07' });
  });

  it('re-delivering the same items stores nothing twice and returns the same platform ids', async () => {
    const sim = await simulator();
    const t = target(restConfig(sim.url));
    const items = [deliveryItem(1), deliveryItem(2)];
    const first = await t.deliver(items);
    const again = await t.deliver(items);

    expect(again.map((o) => o.platformId)).toEqual(first.map((o) => o.platformId));
    expect(again.every((o) => o.state === 'accepted' && o.receipt?.duplicate === true)).toBe(true);
    expect(sim.licenses()).toHaveLength(2);
    expect(sim.stats().duplicates).toBe(2);
  });

  it('maps a per-item rejection to a rejected outcome with the platform reasons', async () => {
    const sim = await simulator();
    const t = target(restConfig(sim.url));
    const bad = deliveryItem(2, { license: sampleLicense(2, { number: '' }) });
    const outcomes = await t.deliver([deliveryItem(1), bad, deliveryItem(3)]);

    expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(outcomes[1]).toMatchObject({ key: bad.key, reasons: ['zzbh: required (number)'] });
    expect(outcomes[1]?.platformId).toBeUndefined();
    expect(
      sim
        .licenses()
        .map((l) => l.key)
        .sort(),
    ).toEqual([deliveryItem(1).key, deliveryItem(3).key]);
  });

  it('rejects locally, without sending, a license whose dates the platform format cannot carry', async () => {
    const sim = await simulator();
    const t = target(restConfig(sim.url));
    const outcomes = await t.deliver([
      deliveryItem(1, { license: sampleLicense(1, { validFrom: '2023/4/5' }) }),
    ]);
    expect(outcomes[0]).toMatchObject({
      state: 'rejected',
      reasons: ['licbridge: validFrom: expected an ISO date YYYY-MM-DD'],
    });
    expect(sim.stats().requests).toBe(0);
  });
});

describe('rest-json target: whole-request failures', () => {
  it('turns an injected 503 into a retryable TARGET_UNREACHABLE carrying Retry-After', async () => {
    const sim = await simulator({ faults: { errorRate: 1, retryAfterSeconds: 3 } });
    const err = await licbridgeFailure(target(restConfig(sim.url)).deliver([deliveryItem(1)]));
    expect(err.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(err.retryable).toBe(true);
    expect(err.context).toMatchObject({ target: 'province', status: 503, retryAfterMs: 3000 });
    expect(err.message).toBe(`target province: batch upload to ${sim.url} failed: HTTP 503 (unavailable)`);
  });

  it('turns a request the platform holds open into a retryable error after timeoutMs', async () => {
    const sim = await simulator({ faults: { timeoutRate: 1 } });
    const err = await licbridgeFailure(
      target(restConfig(sim.url, { timeoutMs: 200 })).deliver([deliveryItem(1)]),
    );
    expect(err.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('no answer in time');
  });

  it('turns a refused connection into a retryable error', async () => {
    const sim = await startProvinceSimulator();
    await sim.close();
    const err = await licbridgeFailure(target(restConfig(sim.url)).deliver([deliveryItem(1)]));
    expect(err.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(err.retryable).toBe(true);
    expect(err.context.errno).toBe('ECONNREFUSED');
  });

  it('turns 429 into a retryable error and 400 into a TARGET_REJECTED retried with backoff', async () => {
    const s = await scripted(() => ({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { code: 429, reason: 'rate-limited' },
    }));
    const t = target(restConfig(s.url));
    const limited = await licbridgeFailure(t.deliver([deliveryItem(1)]));
    expect(limited).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(limited.context.retryAfterMs).toBe(7000);
    // Within the wait nothing more is sent to the platform: the next request fails at once with the
    // time left as its wait (shared/send-pause.ts).
    const held = await licbridgeFailure(t.deliver([deliveryItem(2)]));
    expect(held).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(held.context).toMatchObject({ unsent: true });
    expect(held.context.retryAfterMs).toBeGreaterThan(0);
    expect(held.context.retryAfterMs).toBeLessThanOrEqual(7000);
    expect(s.seen).toHaveLength(1);

    const r = await scripted(() => ({
      status: 400,
      body: { code: 400, reason: 'bad-request', message: `bad holder ${HOLDER_NAME}` },
    }));
    const refused = await licbridgeFailure(target(restConfig(r.url)).deliver([deliveryItem(1)]));
    // A refusal of the whole batch says nothing against one license: the job tries again.
    expect(refused).toMatchObject({ code: ErrorCodes.TARGET_REJECTED, retryable: true });
    // The platform's free-text message echoed the holder; only its reason token is repeated.
    expect(refused.message).toBe(
      `target province: batch upload to ${r.url} failed: request refused: HTTP 400 (bad-request)`,
    );
  });

  it('treats a 200 with a non-zero platform code as a refusal of the batch, retried', async () => {
    const s = await scripted(() => ({ status: 200, body: { code: 1, reason: 'closed-for-maintenance' } }));
    const err = await licbridgeFailure(target(restConfig(s.url)).deliver([deliveryItem(1)]));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_REJECTED, retryable: true });
    expect(err.message).toContain('platform code 1 (closed-for-maintenance)');
  });

  it('keeps the receipts of batches already answered when a later batch fails', async () => {
    const s = await scripted((n, req) => {
      if (n > 0) return { status: 503, body: { code: 503 } };
      const { items } = JSON.parse(req.body) as { items: Array<{ key: string }> };
      return {
        status: 200,
        body: {
          code: 0,
          results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `P-${i.key}` })),
        },
      };
    });
    const items = [deliveryItem(1), deliveryItem(2), deliveryItem(3)];
    const outcomes = await target(restConfig(s.url, { batchSize: 2 })).deliver(items);
    expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted', 'failed']);
    expect(outcomes[0]?.platformId).toBe(`P-${items[0]?.key}`);
    expect(outcomes[2]).toMatchObject({ key: items[2]?.key, retryable: true });
  });
});

describe('rest-json target: what failures show', () => {
  it('never puts the secret or the holder data into any error, whatever failed', async () => {
    const secret = 'Zq9-secret-never-shown';
    const hmac = { auth: { scheme: 'hmac' as const, appKey: 'app', secret }, timeoutMs: 200 };
    const unavailable = await simulator({ faults: { errorRate: 1 } });
    const silent = await simulator({ faults: { timeoutRate: 1 } });
    const echoing = await scripted(() => ({
      status: 422,
      body: { code: 422, message: `${HOLDER_NAME} ${HOLDER_ID}` },
    }));
    const gone = await startProvinceSimulator();
    await gone.close();

    const errors: LicbridgeError[] = [];
    for (const url of [unavailable.url, silent.url, echoing.url, gone.url]) {
      errors.push(await licbridgeFailure(target(restConfig(url, hmac)).deliver([deliveryItem(1)])));
    }
    expect(errors.map((e) => e.code)).toEqual([
      ErrorCodes.TARGET_UNREACHABLE,
      ErrorCodes.TARGET_UNREACHABLE,
      ErrorCodes.TARGET_REJECTED,
      ErrorCodes.TARGET_UNREACHABLE,
    ]);
    for (const e of errors) {
      const cause = e.cause instanceof Error ? `${e.cause.message} ${e.cause.stack ?? ''}` : String(e.cause);
      const shown = `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)} ${cause}`;
      for (const hidden of [secret, HOLDER_NAME, HOLDER_ID, sampleLicense(1).number])
        expect(shown).not.toContain(hidden);
      expect(e.message).toMatch(/^target province: batch upload to http:\/\/127\.0\.0\.1:\d+ failed: /);
    }
  });
});

describe('rest-json target: wire headers', () => {
  it('sends JSON with an Idempotency-Key derived from the sorted keys of the batch and the send', async () => {
    const s = await scripted((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: Array<{ key: string }> };
      return {
        status: 200,
        body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted' })) },
      };
    });
    const items = [deliveryItem(2), deliveryItem(1)];
    await target(restConfig(`${s.url}/api/v1/`)).deliver(items);

    const [req] = s.seen;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/api/v1/licenses/batch');
    expect(req?.headers['content-type']).toBe('application/json; charset=utf-8');
    const sent = (JSON.parse(req?.body ?? '{}') as { items: BatchRequestItem[] }).items;
    expect(req?.headers['idempotency-key']).toMatch(/^[0-9a-f]{64}$/);
    expect(batchIdempotencyKey(['b', 'a'], 's')).toBe(batchIdempotencyKey(['a', 'b'], 's'));
    expect(batchIdempotencyKey(['a', 'b'], 's')).not.toBe(batchIdempotencyKey(['a', 'c'], 's'));
    expect(batchIdempotencyKey(['a', 'b'], 's')).not.toBe(batchIdempotencyKey(['a', 'b'], 't'));
    expect(sent.map(itemIdentity)).toHaveLength(2);
    expect(req?.headers['x-lb-signature']).toBeUndefined();
  });

  it('sends every batch under its own key, the same content again too', async () => {
    const s = await scripted((_n, req) => {
      const { items } = JSON.parse(req.body) as { items: Array<{ key: string }> };
      return {
        status: 200,
        body: { code: 0, results: items.map((i) => ({ key: i.key, status: 'accepted' })) },
      };
    });
    const item = deliveryItem(1);
    const t = target(restConfig(`${s.url}/api/v1/`));
    await t.deliver([item]);
    await t.deliver([item]);
    // The same license version with another operation code (a code list fixed before a replay).
    await t.deliver([deliveryItem(1, { operation: 'update' })]);
    const [first, again, changed] = s.seen.map((r) => r.headers['idempotency-key']);
    // A gateway replaying the first answer to a key would answer the resend (a retry after a busy
    // answer, a replayed dead letter) with that answer; the platform's per-item key dedups instead.
    expect(new Set([first, again, changed]).size).toBe(3);
  });
});
