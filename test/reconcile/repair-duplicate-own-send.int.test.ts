import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SimulatorEntry as Entry, editSimulator } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';

describe('a repair re-delivery answered as a duplicate', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let sim: ProvinceSimulator;
  let licenses: { licenseId: string; sourceKey: string }[] = [];

  const run = async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  };
  /** Stops the simulator, edits what it holds, starts it again on the same port. */
  const editPlatform = async (edit: (entries: Entry[]) => Entry[]) => {
    sim = await editSimulator(sim, ws.dir, (state) => {
      state.entries = edit(state.entries);
    });
  };
  /** A check, its plan and the plan applied, with the platform adapter changed by `patch` first. */
  const repair = async (patch: (adapter: TargetAdapter) => void) => {
    const rt = new Runtime(config, logger);
    try {
      patch(await rt.target('province'));
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const plan = planRepairs(rt, report);
      const applied = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
      const after = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const found = await (await rt.ledger()).repairDuplicates.find(applied.redeliveredKeys);
      return { report, plan, applied, after, found };
    } finally {
      await rt.close();
    }
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40, seed: 37 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    sim = ws.simulator;
    await run();
    const rt = new Runtime(config, logger);
    try {
      licenses = (await (await rt.ledger()).pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
    } finally {
      await rt.close();
    }
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  it("takes a duplicate of the repair's own earlier send as delivered", async () => {
    const lost = licenses[0];
    if (!lost) throw new Error('no valid license');
    const key = `${lost.licenseId}:1:province`;
    await editPlatform((entries) => entries.filter((e) => e.licenseId !== lost.licenseId));
    const duplicatesBefore = sim.stats().duplicates;
    let timedOut = 0;
    let unknownOnce = 0;
    const { report, applied, after, found } = await repair((adapter) => {
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
    expect(sim.stats().duplicates).toBe(duplicatesBefore + 1);
    expect(found.map((f) => [f.key, f.answeredAt !== null, f.heldBy])).toEqual([[key, true, null]]);
    // …which the platform shows: delivered, not a duplicate.
    expect(applied.duplicates).toEqual([]);
    expect(after.differences).toBe(0);
  }, 180_000);

  it('names a duplicate answered `submitted` and polled later, and holds it back from the next repair', async () => {
    const rolledBack = licenses[1];
    if (!rolledBack) throw new Error('fewer than 2 valid licenses');
    const db = new Database(ws.legacyDb);
    db.prepare(
      `UPDATE ${TABLE} SET JYCS = '青岛市黄岛区长江西路 9 号', GXSJ = '2099-01-01 00:00:00' WHERE ID = ?`,
    ).run(rolledBack.sourceKey);
    db.close();
    await run();
    const latestKey = `${rolledBack.licenseId}:2:province`;
    await editPlatform((entries) => {
      const v1 = entries.find((e) => e.licenseId === rolledBack.licenseId && e.version === 1);
      const v2 = entries.find((e) => e.key === latestKey);
      if (!v1 || !v2) throw new Error('the platform does not hold both versions');
      // The platform shows version 1 again, yet remembers accepting the key of version 2.
      v2.version = 1;
      v2.license = v1.license;
      return entries.filter((e) => e !== v1);
    });

    let submittedFirst = 0;
    const first = await repair((adapter) => {
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
    const duplicatesBefore = sim.stats().duplicates;
    let sent = 0;
    const second = await repair((adapter) => {
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
    expect(sim.stats().duplicates).toBe(duplicatesBefore);
    expect(second.after.differences).toBe(1);
  }, 240_000);
});
