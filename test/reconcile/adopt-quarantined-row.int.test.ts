/**
 * A license only the platform holds whose source row the business system still has, but which does
 * not map now (it is on the quarantine list: a field the catalog now requires, a predecessor the
 * ledger lacks). The ledger lacks its license (restored from an older copy, or a fresh ledger
 * beside a platform that kept everything). Under `reconcile.unknownAtPlatform: revoke` the plan
 * adopted and revoked it: a license whose record is still in the source was ended at the platform,
 * for a record a person only has to correct. It is flagged instead, as the license of a row the
 * check found missed is, and the plan says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { deriveSerial, licenseIdOf } from '../../catalog/identifier.js';
import type { Config } from '../../config/types.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { textPlan } from '../../pipelines/reconcile/text-report.js';
import { Runtime } from '../../pipelines/runtime.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator, type SimulatorState } from '../support/simulator-edit.js';
import { logger, PIPELINE, platformOnlyEntry, revokeUnknownWorkspace } from './platform-only.js';

describe('a license only the platform holds whose source row is quarantined', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let province: ProvinceSimulator;

  beforeAll(async () => {
    ({ ws, config } = await revokeUnknownWorkspace(120, 11));
    province = ws.simulator;
  }, 120_000);
  afterAll(async () => {
    await province?.close();
    await ws?.cleanup();
  });

  it('is flagged, never adopted and revoked; one no row stands behind still is', async () => {
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const [quarantinedKey] = await ledger.openQuarantineKeys(PIPELINE);
      if (quarantinedKey === undefined) throw new Error('the demo source holds no row that does not map');
      const parts = await rt.pipeline(PIPELINE);
      const idOf = (serial: string) =>
        licenseIdOf({ typeCode: parts.config.licenseType, issuerCode: parts.config.issuer.code, serial });
      const ofRow = idOf(deriveSerial(PIPELINE, quarantinedKey));
      const alone = idOf('ZZZZZZZZZZ');
      province = await editSimulator(province, ws.dir, (state: SimulatorState) => {
        const model = state.entries[0];
        if (!model) throw new Error('empty platform');
        for (const [licenseId, platformId] of [
          [ofRow, 'P-OFROW'],
          [alone, 'P-ALONE'],
        ] as const) {
          state.entries.push(platformOnlyEntry(model, licenseId, { platformId }));
        }
      });

      const report = await reconcilePipeline(rt, { pipeline: PIPELINE });
      const unknown = report.all.filter((d) => d.kind === 'unknown-at-platform').map((d) => d.licenseId);
      expect(unknown.sort()).toEqual([ofRow, alone].sort());
      const plan = planRepairs(rt, report);
      const action = (licenseId: string) =>
        plan.items.find(
          (i) => i.difference.licenseId === licenseId && i.difference.kind === 'unknown-at-platform',
        )?.action;
      expect(action(ofRow)).toBe('flag');
      expect(action(alone)).toBe('adopt-revoke');
      const en = textPlan(plan, { lang: 'en' });
      expect(en).toContain('1 licenses the platform holds are those of source records that do not map');
      expect(en).not.toContain('because reconcile.unknownAtPlatform is flag');
      expect(textPlan(plan)).toContain('平台上有 1 张证照对应的业务记录无法生成证照');

      // Stored, the check's findings stand in `status` until the next full check: both licenses
      // only the platform holds are counted there, the one of the quarantined row with the other,
      // and status exits 3 for them.
      const status = await collectStatus(config, ledger, { error: 'not asked' }, { probeSources: false });
      expect(status.attentionByKind['check-platform']).toBe(1);
      expect(status.attention).toContainEqual(
        expect.stringContaining(
          `pipeline ${PIPELINE}: the last check (report ${report.reportId}) found 2 license(s) a platform holds otherwise than the ledger`,
        ),
      );
      // The repair only flags the quarantined row's license: the line sends a person to its record.
      expect(status.attention).toContainEqual(
        expect.stringContaining(
          `a license whose source row is quarantined it only flags: correct that record (\`licbridge quarantine list --pipeline ${PIPELINE}\`), and the next run issues it again`,
        ),
      );
    } finally {
      await rt.close();
    }
  }, 180_000);
});
