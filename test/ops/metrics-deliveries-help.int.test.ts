/**
 * The `deliveries` gauge's HELP line names every state its `state` label can take, `rejected`
 * too: a platform's rejection as an earlier licbridge recorded it, a dead letter since migration
 * 049 (docs/operations.md). The states are listed against the ledger's type, so a state added
 * there fails to compile here until the HELP line is checked for it. Needs Redis.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryRowState } from '../../ledger/types-deliveries.js';
import { everyScrapeFresh, metricsSetUp } from './ops-fixtures.js';

const STATES = {
  pending: true,
  submitted: true,
  accepted: true,
  rejected: true,
  dead: true,
  discarded: true,
} as const satisfies Record<DeliveryRowState, true>;

describe('metrics: the deliveries gauge says what its states are', () => {
  const t = metricsSetUp({ configure: everyScrapeFresh });

  it('names every state of a delivery in its HELP line', async () => {
    const text = await t.scrapeAfresh();
    const help = text.split('\n').find((l) => l.startsWith(`# HELP ${t.config.metrics.prefix}deliveries `));
    expect(help).toBeDefined();
    const missing = Object.keys(STATES).filter((s) => !new RegExp(`\\b${s}\\b`).test(help ?? ''));
    expect(missing).toEqual([]);
  });
});
