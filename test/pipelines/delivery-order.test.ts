/**
 * The per-license delivery order (docs/delivery.md): a version goes only after the one before it
 * was accepted (or discarded by an operator). A predecessor still under review (`submitted`, the
 * platform's asynchronous review) holds its successor back; a predecessor in the same job goes in
 * an earlier wave; a dead-lettered one blocks its successors.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryPredecessor, DeliveryRowState, StoredDelivery } from '../../ledger/ledger.js';
import { planWaves } from '../../pipelines/stages/delivery-order.js';

const LICENSE_A = 'L-A';
const LICENSE_B = 'L-B';

/** Version ids: license A's versions are 100 + version, license B's 200 + version. */
const idOf = (licenseId: string, version: number): number => (licenseId === LICENSE_A ? 100 : 200) + version;
const keyOf = (licenseId: string, version: number): string => `${licenseId}:${version}@province`;

function delivery(licenseId: string, version: number): StoredDelivery {
  return {
    key: keyOf(licenseId, version),
    licenseId,
    version,
    versionId: idOf(licenseId, version),
    target: 'province',
    state: 'pending',
    attempts: 0,
    revision: 0,
    platformId: null,
    reasons: [],
    receipt: null,
    updatedAt: new Date(0),
  };
}

function pred(
  licenseId: string,
  version: number,
  previousState: DeliveryRowState | null,
): DeliveryPredecessor {
  return {
    versionId: idOf(licenseId, version),
    previousVersionId: idOf(licenseId, version - 1),
    previousKey: keyOf(licenseId, version - 1),
    previousState,
  };
}

const keys = (rows: readonly StoredDelivery[]): string[] => rows.map((r) => r.key);

describe('delivery order under asynchronous review', () => {
  it('holds a successor back while its predecessor is submitted and under review', () => {
    const plan = planWaves([delivery(LICENSE_A, 2)], [pred(LICENSE_A, 2, 'submitted')]);
    expect(plan.waves.flat()).toEqual([]);
    expect(keys(plan.waiting)).toEqual([keyOf(LICENSE_A, 2)]);
    expect(plan.blocked).toEqual([]);
  });

  it.each(['pending', 'rejected', null] as const)(
    'holds a successor back while its predecessor (not in this job) is %s',
    (state) => {
      const plan = planWaves(
        [delivery(LICENSE_A, 2), delivery(LICENSE_A, 3)],
        [pred(LICENSE_A, 2, state), pred(LICENSE_A, 3, 'pending')],
      );
      expect(plan.waves.flat()).toEqual([]);
      expect(keys(plan.waiting)).toEqual([keyOf(LICENSE_A, 2), keyOf(LICENSE_A, 3)]);
    },
  );

  it.each(['accepted', 'discarded'] as const)(
    'sends a successor at once when its predecessor is %s',
    (state) => {
      const plan = planWaves([delivery(LICENSE_A, 2)], [pred(LICENSE_A, 2, state)]);
      expect(plan.waves.map(keys)).toEqual([[keyOf(LICENSE_A, 2)]]);
      expect(plan.waiting).toEqual([]);
    },
  );
});

describe('delivery order within one job', () => {
  it('sends each version in a later wave than the one before it', () => {
    const open = [
      delivery(LICENSE_A, 3),
      delivery(LICENSE_B, 1),
      delivery(LICENSE_A, 1),
      delivery(LICENSE_A, 2),
    ];
    const plan = planWaves(open, [pred(LICENSE_A, 2, 'pending'), pred(LICENSE_A, 3, 'pending')]);
    expect(plan.waves.map(keys)).toEqual([
      [keyOf(LICENSE_A, 1), keyOf(LICENSE_B, 1)],
      [keyOf(LICENSE_A, 2)],
      [keyOf(LICENSE_A, 3)],
    ]);
    expect(plan.waiting).toEqual([]);
    expect(plan.blocked).toEqual([]);
  });

  it('keeps a successor behind a predecessor in the same job whose own predecessor is under review', () => {
    const plan = planWaves(
      [delivery(LICENSE_A, 2), delivery(LICENSE_A, 3)],
      [pred(LICENSE_A, 2, 'submitted'), pred(LICENSE_A, 3, 'pending')],
    );
    expect(plan.waves.flat()).toEqual([]);
    expect(keys(plan.waiting)).toEqual([keyOf(LICENSE_A, 2), keyOf(LICENSE_A, 3)]);
  });

  it('blocks every successor of a dead-lettered predecessor, naming the dead one', () => {
    const plan = planWaves(
      [delivery(LICENSE_A, 2), delivery(LICENSE_A, 3), delivery(LICENSE_B, 1)],
      [pred(LICENSE_A, 2, 'dead'), pred(LICENSE_A, 3, 'pending')],
    );
    expect(plan.waves.map(keys)).toEqual([[keyOf(LICENSE_B, 1)]]);
    expect(plan.blocked.map((b) => [b.row.key, b.predecessorKey])).toEqual([
      [keyOf(LICENSE_A, 2), keyOf(LICENSE_A, 1)],
      [keyOf(LICENSE_A, 3), keyOf(LICENSE_A, 2)],
    ]);
    expect(plan.waiting).toEqual([]);
  });

  it('orders versions of a license by version, not by the order the ledger listed them', () => {
    const open = [delivery(LICENSE_B, 2), delivery(LICENSE_B, 1)];
    const plan = planWaves(open, [pred(LICENSE_B, 2, 'pending')]);
    expect(plan.waves.map(keys)).toEqual([[keyOf(LICENSE_B, 1)], [keyOf(LICENSE_B, 2)]]);
  });

  it('puts the license a first version continues first, though its id sorts after', () => {
    // License A's first version renews license B's (a predecessor in another license).
    const continues: DeliveryPredecessor = {
      versionId: idOf(LICENSE_A, 1),
      previousVersionId: idOf(LICENSE_B, 1),
      previousKey: keyOf(LICENSE_B, 1),
      previousState: 'pending',
    };
    const plan = planWaves(
      [delivery(LICENSE_A, 1), delivery(LICENSE_A, 2), delivery(LICENSE_B, 1)],
      [continues, pred(LICENSE_A, 2, 'pending')],
    );
    expect(plan.waves.map(keys)).toEqual([
      [keyOf(LICENSE_B, 1)],
      [keyOf(LICENSE_A, 1)],
      [keyOf(LICENSE_A, 2)],
    ]);
  });

  it('holds versions whose predecessors name each other instead of sending either first', () => {
    const plan = planWaves(
      [delivery(LICENSE_A, 1), delivery(LICENSE_B, 1)],
      [
        {
          versionId: idOf(LICENSE_A, 1),
          previousVersionId: idOf(LICENSE_B, 1),
          previousKey: keyOf(LICENSE_B, 1),
          previousState: 'pending',
        },
        {
          versionId: idOf(LICENSE_B, 1),
          previousVersionId: idOf(LICENSE_A, 1),
          previousKey: keyOf(LICENSE_A, 1),
          previousState: 'pending',
        },
      ],
    );
    expect(plan.waves.flat()).toEqual([]);
    expect(keys(plan.waiting)).toEqual([keyOf(LICENSE_A, 1), keyOf(LICENSE_B, 1)]);
  });
});
