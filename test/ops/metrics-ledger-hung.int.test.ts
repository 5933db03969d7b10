/**
 * A scrape of /metrics while the ledger does not answer says so within `serve.checkTimeoutMs`
 * (twice, at most): `attention{kind="ledger-unreachable"}`. A ledger read rides out an outage for
 * the ledger's retry budget (two minutes by default), and every scrape waited that long: the
 * scraper gave up first and the alert on `attention` never fired. A ledger that is slow but answers
 * is waited for. Needs Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { SnapshotSource } from '../../pipelines/observability/ledger-snapshot.js';
import { metricsSetUp, quietLogger } from './ops-fixtures.js';

describe('metrics: a ledger that does not answer', { timeout: 60_000 }, () => {
  const t = metricsSetUp({
    configure: (loaded) => ({
      ...loaded,
      serve: { ...loaded.serve, checkTimeoutMs: 200 },
      metrics: { ...loaded.metrics, cacheMs: 0 },
    }),
  });
  /** How the ledger answers: `down` never, `slow` after 600 ms, `up` at once. */
  const mode = { now: 'up' as 'up' | 'down' | 'slow' };
  let flaky: Ledger;

  beforeAll(() => {
    flaky = new Proxy(t.ledger, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const call = () => (value as (...a: unknown[]) => unknown).apply(target, args);
          if (mode.now === 'down') return new Promise(() => undefined);
          if (mode.now === 'slow' && key === 'runTotals')
            return new Promise((resolve) => setTimeout(() => resolve(call()), 600));
          return call();
        };
      },
    });
  });

  it('says ledger-unreachable, and keeps serving the counts it had', async () => {
    const snapshots = new SnapshotSource(t.config, flaky, t.queues, quietLogger());
    const before = await snapshots.get();
    expect(before.status?.attentionByKind['ledger-unreachable']).toBe(0);
    mode.now = 'down';
    const during = await snapshots.get();
    expect(during.status?.attentionByKind['ledger-unreachable']).toBe(1);
    expect(during.runTotals).toEqual(before.runTotals);
    expect(snapshots.errors.get('ledger')).toBe(1);
    // The hung reading is not started again beside itself: the next scrape is answered the same.
    const again = await snapshots.get();
    expect(again.status?.attentionByKind['ledger-unreachable']).toBe(1);
    mode.now = 'up';
  });

  it('waits for a ledger that is slow but answers', async () => {
    mode.now = 'slow';
    const snapshots = new SnapshotSource(t.config, flaky, t.queues, quietLogger());
    const slow = await snapshots.get();
    mode.now = 'up';
    expect(slow.status?.attentionByKind['ledger-unreachable']).toBe(0);
    expect(snapshots.errors.get('ledger')).toBeUndefined();
  });
});
