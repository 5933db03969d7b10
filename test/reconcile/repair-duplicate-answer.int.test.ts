import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SimulatorEntry as Entry, editSimulator } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';

describe('a repair the platform answers as a duplicate', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let sim: ProvinceSimulator;

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

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 31 });
    config = await loadConfig({ file: ws.configFile, env: {} });
    sim = ws.simulator;
    await run();
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  it('names the re-delivery answered as a duplicate as not repaired, and exits 1', async () => {
    const rt = new Runtime(config, logger);
    let rolledBack: { licenseId: string; sourceKey: string } | undefined;
    let lost: { licenseId: string; sourceKey: string } | undefined;
    try {
      const valid = (await (await rt.ledger()).pipelineLicenses(PIPELINE)).filter(
        (l) => l.status === 'valid',
      );
      [rolledBack, lost] = valid;
    } finally {
      await rt.close();
    }
    if (!rolledBack || !lost) throw new Error('fewer than 2 valid licenses');
    // Version 2 of one license, read by a run and accepted by the platform.
    const db = new Database(ws.legacyDb);
    db.prepare(
      `UPDATE ${TABLE} SET JYCS = '青岛市黄岛区长江西路 7 号', GXSJ = '2099-01-01 00:00:00' WHERE ID = ?`,
    ).run(rolledBack.sourceKey);
    db.close();
    await run();
    const latestKey = `${rolledBack.licenseId}:2:province`;

    await editPlatform((entries) => {
      const v1 = entries.find((e) => e.licenseId === rolledBack?.licenseId && e.version === 1);
      const v2 = entries.find((e) => e.key === latestKey);
      if (!v1 || !v2) throw new Error('the platform does not hold both versions');
      // The platform shows version 1 again, yet remembers accepting the key of version 2.
      v2.version = 1;
      v2.license = v1.license;
      return entries.filter((e) => e !== v1 && e.licenseId !== lost?.licenseId);
    });

    const res = await licbridge([
      'reconcile',
      PIPELINE,
      '--repair',
      '--yes',
      '--json',
      '--config',
      ws.configFile,
    ]);
    const out = JSON.parse(res.stdout) as {
      report: { byKind: Record<string, number> };
      plan: { byAction: Record<string, number> };
      applied: { reopened: number; duplicates: string[] };
      after: { byKind: Record<string, number>; differences: number };
    };
    expect(out.report.byKind['platform-content-mismatch']).toBe(1);
    expect(out.report.byKind['missing-at-platform']).toBe(1);
    expect(out.plan.byAction['re-deliver']).toBe(2);
    expect(out.applied.reopened).toBe(2);
    // The lost license was sent and taken; the rolled-back one was answered as a duplicate.
    expect(out.applied.duplicates).toEqual([latestKey]);
    expect(out.after.byKind['missing-at-platform']).toBe(0);
    expect(out.after.byKind['platform-content-mismatch']).toBe(1);
    expect(out.after.differences).toBe(1);
    expect(res.stderr).toContain('answered as duplicates: not repaired');
    expect(res.status).toBe(1);

    // Repaired again without --json: the table output says the same, not only the log line, and
    // the key is not sent again: the platform receives no further duplicate.
    const received = sim.stats().duplicates;
    const text = await licbridge(['reconcile', PIPELINE, '--repair', '--yes', '--config', ws.configFile]);
    expect(text.stdout).toContain(
      `repair: 1 re-delivery answered as duplicate, not repaired: the platform accepted this key yet shows an older version`,
    );
    expect(text.stdout).toContain(
      `(${latestKey}); held back since an earlier repair, it was not sent again.`,
    );
    expect(text.stdout).toContain('repair with --resend-duplicates');
    expect(text.status).toBe(1);
    expect(sim.stats().duplicates).toBe(received);

    // A person asks for it: sent again, answered as a duplicate again, held again.
    const again = await licbridge([
      'reconcile',
      PIPELINE,
      '--repair',
      '--yes',
      '--resend-duplicates',
      '--json',
      '--config',
      ws.configFile,
    ]);
    const resent = JSON.parse(again.stdout) as {
      applied: { reopened: number; duplicates: string[]; heldDuplicates: string[] };
    };
    expect(resent.applied).toMatchObject({ reopened: 1, duplicates: [latestKey], heldDuplicates: [] });
    expect(sim.stats().duplicates).toBe(received + 1);
    expect(again.status).toBe(1);

    // Held, it is not left to the next check's report: status names it, with its age.
    const status = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(status.stdout).toContain(
      `pipeline ${PIPELINE}: 1 re-delivery(ies) to province held back as answered duplicates since `,
    );
    expect(status.status).toBe(3);
    const json = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile]);
    expect(
      (JSON.parse(json.stdout) as { attentionByKind: Record<string, number> }).attentionByKind[
        'duplicates-held'
      ],
    ).toBe(1);

    const usage = await licbridge(['reconcile', PIPELINE, '--resend-duplicates', '--config', ws.configFile]);
    expect(usage.stderr).toContain('--resend-duplicates sends re-deliveries again; add --repair --yes');
    expect(usage.status).toBe(2);
  }, 240_000);

  it('names it when the answer was recorded by a worker whose clock runs behind', async () => {
    // Another host's worker records the platform's answer: the delivery's `updated_at` is that
    // host's time, 10 minutes behind this one. The answer is this repair's all the same.
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const record = ledger.recordDeliveryOutcomes.bind(ledger);
      ledger.recordDeliveryOutcomes = async (outcomes) => {
        const changed = await record(outcomes);
        const db = new Database(join(ws.dir, 'data', 'ledger.db'));
        try {
          db.pragma('busy_timeout = 10000');
          db.prepare('update deliveries set updated_at = ?').run(
            new Date(Date.now() - 10 * 60_000).toISOString(),
          );
        } finally {
          db.close();
        }
        return changed;
      };
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      expect(report.byKind['platform-content-mismatch']).toBe(1);
      const plan = planRepairs(rt, report);
      expect(plan.byAction['re-deliver']).toBe(1);
      // Held back by the repairs above: sent again on request.
      const applied = await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000, resendDuplicates: true });
      expect(applied.reopened).toBe(1);
      expect(applied.duplicates).toHaveLength(1);
      expect(applied.duplicates[0]).toMatch(/:2:province$/);
      expect(applied.redeliveredKeys).toEqual(applied.duplicates);
    } finally {
      await rt.close();
    }
  }, 180_000);
});
