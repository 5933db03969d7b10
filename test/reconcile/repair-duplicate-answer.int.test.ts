import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge } from '../support/cli.js';
import { useRepairDuplicateWorkspace } from './repair-duplicate-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('a repair the platform answers as a duplicate', () => {
  const w = useRepairDuplicateWorkspace({ rows: 60, seed: 31 });

  it('names the re-delivery answered as a duplicate as not repaired, and exits 1', async () => {
    const [rolledBack, lost] = w.licenses;
    if (!rolledBack || !lost) throw new Error('fewer than 2 valid licenses');
    // Version 2 of one license, read by a run and accepted by the platform; then the platform
    // shows version 1 again, yet remembers accepting the key of version 2. Another it lost.
    const latestKey = await w.rollBackOnPlatform(rolledBack, '青岛市黄岛区长江西路 7 号');
    await w.editPlatform((entries) => entries.filter((e) => e.licenseId !== lost.licenseId));

    const res = await licbridge([
      'reconcile',
      PIPELINE,
      '--repair',
      '--yes',
      '--json',
      '--config',
      w.ws.configFile,
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
    const received = w.sim.stats().duplicates;
    const text = await licbridge(['reconcile', PIPELINE, '--repair', '--yes', '--config', w.ws.configFile]);
    expect(text.stdout).toContain(
      `repair: 1 re-delivery answered as duplicate, not repaired: the platform accepted this key yet shows an older version`,
    );
    expect(text.stdout).toContain(
      `(${latestKey}); held back since an earlier repair, it was not sent again.`,
    );
    expect(text.stdout).toContain('repair with --resend-duplicates');
    expect(text.status).toBe(1);
    expect(w.sim.stats().duplicates).toBe(received);

    // A person asks for it: sent again, answered as a duplicate again, held again.
    const again = await licbridge([
      'reconcile',
      PIPELINE,
      '--repair',
      '--yes',
      '--resend-duplicates',
      '--json',
      '--config',
      w.ws.configFile,
    ]);
    const resent = JSON.parse(again.stdout) as {
      applied: { reopened: number; duplicates: string[]; heldDuplicates: string[] };
    };
    expect(resent.applied).toMatchObject({ reopened: 1, duplicates: [latestKey], heldDuplicates: [] });
    expect(w.sim.stats().duplicates).toBe(received + 1);
    expect(again.status).toBe(1);

    // Held, it is not left to the next check's report: status names it, with its age.
    const status = await licbridge(['status', '--no-sources', '--config', w.ws.configFile]);
    expect(status.stdout).toContain(
      `pipeline ${PIPELINE}: 1 re-delivery(ies) to province held back as answered duplicates since `,
    );
    expect(status.status).toBe(3);
    const json = await licbridge(['status', '--no-sources', '--json', '--config', w.ws.configFile]);
    expect(
      (JSON.parse(json.stdout) as { attentionByKind: Record<string, number> }).attentionByKind[
        'duplicates-held'
      ],
    ).toBe(1);

    const usage = await licbridge([
      'reconcile',
      PIPELINE,
      '--resend-duplicates',
      '--config',
      w.ws.configFile,
    ]);
    expect(usage.stderr).toContain('--resend-duplicates sends re-deliveries again; add --repair --yes');
    expect(usage.status).toBe(2);
  }, 240_000);

  it('names it when the answer was recorded by a worker whose clock runs behind', async () => {
    // Another host's worker records the platform's answer: the delivery's `updated_at` is that
    // host's time, 10 minutes behind this one. The answer is this repair's all the same.
    const rt = new Runtime(w.config, logger);
    try {
      const ledger = await rt.ledger();
      const record = ledger.recordDeliveryOutcomes.bind(ledger);
      ledger.recordDeliveryOutcomes = async (outcomes) => {
        const changed = await record(outcomes);
        const db = new Database(join(w.ws.dir, 'data', 'ledger.db'));
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
