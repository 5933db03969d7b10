/**
 * A target without a lookup cannot be asked what it holds after it answered a re-delivery as a
 * duplicate, so the repair cannot tell its own earlier send (which the platform holds) from a view
 * rolled back. The docs and the code's own comment say such a platform leaves the duplicates named,
 * not held; the repair held them back, so later repairs never sent the key again and `status`
 * named it held until a person let it go. It is named and not held now: the next repair sends it again.
 */
import { describe, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { useRepairDuplicateWorkspace } from './repair-duplicate-workspace.js';

describe('a repair re-delivery answered as a duplicate by a target without a lookup', () => {
  const fx = useRepairDuplicateWorkspace();

  it('names the duplicate and does not hold it back: the next repair sends it again', async () => {
    const rolledBack = fx.licenses[0];
    if (!rolledBack) throw new Error('no valid license');
    // The platform shows version 1 again, yet remembers accepting the key of version 2.
    const latestKey = await fx.rollBackOnPlatform(rolledBack, '青岛市黄岛区长江西路 11 号');
    const withoutLookup = (adapter: TargetAdapter) => {
      adapter.lookup = undefined;
    };

    const first = await fx.repair(withoutLookup);
    expect(first.report.byKind['platform-content-mismatch']).toBe(1);
    expect(first.applied.redeliveredKeys).toEqual([latestKey]);
    expect(first.applied.duplicates).toEqual([latestKey]);
    expect(first.found.map((f) => [f.key, f.heldBy])).toEqual([[latestKey, null]]);
    expect(first.after.byKind['platform-content-mismatch']).toBe(1);

    const duplicatesBefore = fx.sim.stats().duplicates;
    const second = await fx.repair(withoutLookup);
    expect(second.applied.heldDuplicates).toEqual([]);
    expect(second.applied.redeliveredKeys).toEqual([latestKey]);
    expect(second.applied.duplicates).toEqual([latestKey]);
    expect(fx.sim.stats().duplicates).toBe(duplicatesBefore + 1);
  }, 240_000);
});
