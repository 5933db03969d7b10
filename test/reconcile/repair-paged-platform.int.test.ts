/**
 * A repair asked the platforms for every license it would adopt (only a platform holds it) in one
 * look-up before it wrote the first version, and held them all; its re-deliveries were reopened,
 * read back and mapped to their versions for the whole plan at once. Both now go a page of the
 * plan at a time, as its revocations do (repair-paged.int.test.ts). The same platform differences
 * repaired in pages of two adopt and re-deliver what one page did, with the same audit entries in
 * the same order, and no look-up or read of deliveries asks for more than a page's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { type AppliedRepairs, planRepairs, writeRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator } from '../support/simulator-edit.js';
import { logger, PIPELINE, platformOnlyEntry, revokeUnknownWorkspace, withSerial } from './platform-only.js';

const LOST = 5;
const ONLY_THERE = 5;

interface Outcome {
  applied: AppliedRepairs;
  licenses: [string, string, number][];
  audit: [string, string | null, number | null, string | null, string][];
  /** How many license ids each platform look-up asked for. */
  lookups: number[];
  /** How many keys each read of deliveries asked for. */
  deliveryReads: number[];
}

/** A workspace whose platform lost `LOST` licenses and holds `ONLY_THERE` the ledger does not. */
async function openWorkspace(): Promise<{ ws: DemoWorkspace; config: Readonly<Config> }> {
  const { ws, config } = await revokeUnknownWorkspace(20, 79);
  ws.simulator = await editSimulator(ws.simulator, ws.dir, (state) => {
    const sorted = [...state.entries].sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
    const model = sorted[0];
    if (!model) throw new Error('empty platform');
    const lost = new Set(sorted.slice(0, LOST).map((e) => e.licenseId));
    state.entries = state.entries.filter((e) => !lost.has(e.licenseId));
    for (let i = 0; i < ONLY_THERE; i++) {
      const licenseId = withSerial(model.licenseId, `ZZZZZZZZZ${i}`);
      state.entries.push(platformOnlyEntry(model, licenseId, { platformId: `P-ONLY-${i}`, version: 2 }));
    }
  });
  return { ws, config };
}

async function repair(config: Readonly<Config>, pageSize?: number): Promise<Outcome> {
  const rt = new Runtime(config, logger);
  try {
    const ledger = await rt.ledger();
    const plan = planRepairs(rt, await reconcilePipeline(rt, { pipeline: PIPELINE }));
    expect(plan.byAction['adopt-revoke']).toBe(ONLY_THERE);
    expect(plan.byAction['re-deliver']).toBe(LOST);
    const lookups: number[] = [];
    const deliveryReads: number[] = [];
    const adapter = await rt.target('province');
    const lookup = adapter.lookup?.bind(adapter);
    if (!lookup) throw new Error('the province target looks up');
    const getDeliveries = ledger.getDeliveries.bind(ledger);
    Object.assign(adapter, {
      lookup: (ids: readonly string[]) => {
        lookups.push(ids.length);
        return lookup(ids);
      },
    });
    Object.assign(ledger, {
      getDeliveries: (keys: Parameters<Ledger['getDeliveries']>[0]) => {
        deliveryReads.push(keys.length);
        return getDeliveries(keys);
      },
    });
    let applied: AppliedRepairs;
    try {
      applied = await writeRepairs(rt, plan, pageSize === undefined ? {} : { pageSize });
    } finally {
      Object.assign(adapter, { lookup });
      Object.assign(ledger, { getDeliveries });
    }
    await ledger.finishRun(applied.runId, { state: 'done' });
    const licenses = (await ledger.pipelineLicenses(PIPELINE))
      .map((l): [string, string, number] => [l.licenseId, l.status, l.version])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const audit = (await ledger.readAudit({ limit: 1000 }))
      .filter((e) => e.detail.includes(applied.runId) || e.detail.includes(plan.reportId))
      .map((e): Outcome['audit'][number] => [
        e.action,
        e.licenseId,
        e.version,
        e.digest,
        // A receipt's batch id is the platform's own, another in each workspace.
        e.detail
          .replace(applied.runId, '<run>')
          .replace(plan.reportId, '<report>')
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'),
      ]);
    return { applied, licenses, audit, lookups, deliveryReads };
  } finally {
    await rt.close();
  }
}

describe('a repair adopting and re-delivering more licenses than a page', () => {
  const opened: { ws: DemoWorkspace; config: Readonly<Config> }[] = [];
  beforeAll(async () => {
    opened.push(await openWorkspace(), await openWorkspace());
  }, 180_000);
  afterAll(async () => {
    for (const o of opened) {
      await o.ws.simulator.close();
      await o.ws.cleanup();
    }
  });

  it('asks and reads a page at a time and writes what one page wrote', async () => {
    const [a, b] = opened;
    if (!a || !b) throw new Error('two workspaces expected');
    const one = await repair(a.config);
    const pages = await repair(b.config, 2);

    expect(one.lookups).toEqual([ONLY_THERE]);
    expect(one.deliveryReads).toEqual([LOST]);
    expect(pages.lookups.length).toBeGreaterThan(1);
    expect(Math.max(...pages.lookups)).toBeLessThanOrEqual(2);
    expect(pages.lookups.reduce((x, y) => x + y, 0)).toBe(ONLY_THERE);
    expect(pages.deliveryReads.length).toBeGreaterThan(1);
    expect(Math.max(...pages.deliveryReads)).toBeLessThanOrEqual(2);
    expect(pages.deliveryReads.reduce((x, y) => x + y, 0)).toBe(LOST);

    expect(pages.licenses.filter(([id]) => id.includes('ZZZZZZZZZ')).map(([, s]) => s)).toEqual(
      Array(ONLY_THERE).fill('revoked'),
    );
    expect(pages.licenses).toEqual(one.licenses);
    expect(pages.audit).toEqual(one.audit);
    expect(pages.applied.reopened).toBe(LOST);
    expect(pages.applied.reopened).toBe(one.applied.reopened);
    expect(pages.applied.redeliveredKeys).toHaveLength(LOST);
    // In the order the ledger reads each page's deliveries back: the same keys.
    expect([...pages.applied.redeliveredKeys].sort()).toEqual([...one.applied.redeliveredKeys].sort());
    expect(pages.applied.versionIds).toEqual(one.applied.versionIds);
    expect(pages.applied.versionIds).toHaveLength(LOST + ONLY_THERE);
  }, 240_000);
});
