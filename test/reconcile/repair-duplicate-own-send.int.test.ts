import { describe, expect, it } from 'vitest';
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { useRepairDuplicateWorkspace } from './repair-duplicate-workspace.js';

describe('a repair re-delivery answered as a duplicate', () => {
  const fx = useRepairDuplicateWorkspace();

  it("takes a duplicate of the repair's own earlier send as delivered", async () => {
    const lost = fx.licenses[0];
    if (!lost) throw new Error('no valid license');
    const key = `${lost.licenseId}:1:province`;
    await fx.editPlatform((entries) => entries.filter((e) => e.licenseId !== lost.licenseId));
    const duplicatesBefore = fx.sim.stats().duplicates;
    let timedOut = 0;
    let unknownOnce = 0;
    const { report, applied, after, found } = await fx.repair((adapter) => {
      const deliver = adapter.deliver.bind(adapter);
      const poll = adapter.poll?.bind(adapter);
      if (!poll) throw new Error('the province target polls');
      // The send lands, its answer is lost.
      adapter.deliver = async (items) => {
        const out = await deliver(items);
        if (timedOut === 0 && items.some((i) => i.key === key)) {
          timedOut += 1;
          throw new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'target province: no answer within 30 s', {
            retryable: true,
            context: { target: 'province' },
          });
        }
        return out;
      };
      // Asked before sending again, the platform cannot tell of the batch yet (still storing it).
      adapter.poll = async (submitted) => {
        if (unknownOnce === 0 && submitted.some((s) => s.key === key)) {
          unknownOnce += 1;
          return submitted.map(
            (s): DeliveryOutcome => ({
              key: s.key,
              state: 'failed',
              retryable: true,
              reasons: ['platform answered with an unknown status'],
            }),
          );
        }
        return poll(submitted);
      };
    });
    expect(report.byKind['missing-at-platform']).toBe(1);
    expect([timedOut, unknownOnce]).toEqual([1, 1]);
    expect(applied.redeliveredKeys).toEqual([key]);
    // The send again was answered as a duplicate of the first…
    expect(fx.sim.stats().duplicates).toBe(duplicatesBefore + 1);
    expect(found.map((f) => [f.key, f.answeredAt !== null, f.heldBy])).toEqual([[key, true, null]]);
    // …which the platform shows: delivered, not a duplicate.
    expect(applied.duplicates).toEqual([]);
    expect(after.differences).toBe(0);
  }, 180_000);

  it('names a duplicate answered `submitted` and polled later, and holds it back from the next repair', async () => {
    const rolledBack = fx.licenses[1];
    if (!rolledBack) throw new Error('fewer than 2 valid licenses');
    // The platform shows version 1 again, yet remembers accepting the key of version 2.
    const latestKey = await fx.rollBackOnPlatform(rolledBack, '青岛市黄岛区长江西路 9 号');

    let submittedFirst = 0;
    const first = await fx.repair((adapter) => {
      const deliver = adapter.deliver.bind(adapter);
      // A platform that answers every item `submitted` first, and the outcome on a status request.
      adapter.deliver = async (items) =>
        (await deliver(items)).map((o) => {
          if (o.state !== 'accepted') return o;
          submittedFirst += 1;
          return { ...o, state: 'submitted' };
        });
    });
    expect(first.report.byKind['platform-content-mismatch']).toBe(1);
    expect(submittedFirst).toBe(1);
    expect(first.applied.redeliveredKeys).toEqual([latestKey]);
    expect(first.applied.duplicates).toEqual([latestKey]);
    expect(first.applied.heldDuplicates).toEqual([]);
    expect(first.found.map((f) => [f.key, f.heldBy])).toEqual([[latestKey, first.applied.runId]]);
    expect(first.after.byKind['platform-content-mismatch']).toBe(1);

    // The next repair names it again, and sends nothing.
    const duplicatesBefore = fx.sim.stats().duplicates;
    let sent = 0;
    const second = await fx.repair((adapter) => {
      const deliver = adapter.deliver.bind(adapter);
      adapter.deliver = async (items) => {
        sent += items.length;
        return deliver(items);
      };
    });
    expect(second.plan.byAction['re-deliver']).toBe(1);
    expect(second.applied.reopened).toBe(0);
    expect(second.applied.redeliveredKeys).toEqual([]);
    expect(second.applied.heldDuplicates).toEqual([latestKey]);
    expect(second.applied.duplicates).toEqual([latestKey]);
    expect(sent).toBe(0);
    expect(fx.sim.stats().duplicates).toBe(duplicatesBefore);
    expect(second.after.differences).toBe(1);
  }, 240_000);
});
