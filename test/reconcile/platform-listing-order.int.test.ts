/**
 * The platform side merges the ledger's licenses and the platform's listing in license-id byte
 * order. A listing out of that order (a platform sorting by another collation, a page repeated)
 * would make one license both "not at the platform" and "only at the platform": the check says
 * the listing cannot be compared instead of reporting differences that are not there.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformRecord, TargetAdapter } from '../../adapters/platforms/target.js';
import { createLogger } from '../../core/logger.js';
import { checkPlatform } from '../../pipelines/reconcile/platform-side.js';
import { Runtime } from '../../pipelines/runtime.js';
import { demoRunOnce } from '../support/demo-run-once.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

/** The province as it is, its listing re-ordered by `order` (what a platform's own collation might do). */
function reordered(
  adapter: TargetAdapter,
  order: (all: PlatformRecord[]) => PlatformRecord[],
): TargetAdapter {
  const list = adapter.list?.bind(adapter);
  if (!list) throw new Error('the province lists');
  return {
    name: adapter.name,
    kind: adapter.kind,
    deliver: (items) => adapter.deliver(items),
    close: () => adapter.close(),
    async *list(options) {
      const all: PlatformRecord[] = [];
      for await (const page of list(options)) all.push(...page);
      yield order(all);
    },
  };
}

describe('reconcile: a platform listing out of license-id order', () => {
  const demo = demoRunOnce({ rows: 20, seed: 5 }, PIPELINE);

  const check = async (order: (all: PlatformRecord[]) => PlatformRecord[]) => {
    const rt = new Runtime(demo.config, logger);
    try {
      const parts = await rt.pipeline(PIPELINE);
      const province = await rt.target('province');
      return await checkPlatform({
        ledger: await rt.ledger(),
        pipeline: PIPELINE,
        adapter: reordered(province, order),
        licensePrefix: '1.2.156.3005.2.',
        pageSize: parts.config.pageSize,
      });
    } finally {
      await rt.close();
    }
  };

  it('agrees with the listing in order', async () => {
    const ordered = await check((all) => all);
    expect(ordered.differences).toEqual([]);
    expect(ordered.counts.total).toBeGreaterThan(3);
  });

  it('refuses a listing with two licenses swapped instead of reporting one as missing and unknown', async () => {
    const swapped = (all: PlatformRecord[]) => {
      const out = [...all];
      const [a, b] = [out[1], out[2]];
      if (!a || !b) throw new Error('too few licenses');
      out[1] = b;
      out[2] = a;
      return out;
    };
    await expect(check(swapped)).rejects.toThrow(/not in license-id order/);
  });

  it('refuses a listing that holds a license twice', async () => {
    const repeated = (all: PlatformRecord[]) => [...all.slice(0, 3), ...all.slice(2)];
    await expect(check(repeated)).rejects.toThrow(/not in license-id order/);
  });
});
