/**
 * Two pipelines may issue the same license type for the same issuer (catalog/serial.ts derives
 * serials per pipeline). Their licenses share the identifier prefix the platform check selects a
 * pipeline's licenses by, so reconciling one pipeline saw the other's licenses at the platform as
 * unknown to the ledger, and with `unknownAtPlatform: revoke` its repair revoked them there.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { generateLegacyDatabase } from '../../examples/west-coast/generate-legacy-db.js';
import type { RepairVersionInput } from '../../ledger/audit-types.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const A = 'food-business-licenses';
const B = 'food-b';
let ws: DemoWorkspace;
let config: Readonly<Config>;

function pipelineRows(pipeline: string) {
  const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
  try {
    const licenses = db
      .prepare(
        'SELECT license_id, status, latest_version FROM licenses WHERE pipeline = ? ORDER BY license_id',
      )
      .all(pipeline);
    const revocations = db
      .prepare(
        `SELECT count(*) FROM license_versions v JOIN licenses l ON l.license_id = v.license_id
          WHERE l.pipeline = ? AND v.operation = 'revoke'`,
      )
      .pluck()
      .get(pipeline);
    return { licenses, revocations };
  } finally {
    db.close();
  }
}

describe('reconciling one of two pipelines that issue the same type for the same issuer', () => {
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 100, seed: 3 });
    await generateLegacyDatabase(join(ws.dir, 'data', 'legacy-b.db'), { rows: 3, seed: 99 });
    let yaml = await readFile(ws.configFile, 'utf8');
    const sourceLine = '  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }\n';
    expect(yaml).toContain(sourceLine);
    yaml = yaml.replace(
      sourceLine,
      `${sourceLine}  market-food-b: { kind: sqlite, path: ./data/legacy-b.db, trim: all }\n`,
    );
    // B: the demo pipeline's own block (same type, issuer and mapping) over the second source.
    const block = /\n {2}food-business-licenses:\n((?: {4}.*\n)+)/.exec(yaml)?.[1];
    if (!block) throw new Error('the demo config has no food-business-licenses pipeline');
    yaml = yaml.replace(
      'pipelines:\n',
      `pipelines:\n  ${B}:\n${block.replace('source: market-food\n', 'source: market-food-b\n')}`,
    );
    await writeFile(ws.configFile, `${yaml}reconcile: { unknownAtPlatform: revoke }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    const summaries = await runPipelines(config, { pipelines: [A, B], full: false, logger });
    expect(summaries.map((s) => s.state)).toEqual(['done', 'done']);
  }, 180_000);
  afterAll(async () => ws?.cleanup());

  it("neither reports nor revokes the other pipeline's licenses", { timeout: 180_000 }, async () => {
    const before = pipelineRows(B);
    expect(before.licenses).toHaveLength(3);
    const ownDelivered = pipelineRows(A).licenses.length;
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: A });
      expect(report.byKind['unknown-at-platform']).toBe(0);
      // The platform side counts this pipeline's licenses only.
      expect(report.counts.targets.province).toMatchObject({ total: ownDelivered });
      const plan = planRepairs(rt, report);
      expect(plan.byAction['adopt-revoke']).toBe(0);
      await applyRepairs(rt, plan, { logger, idleTimeoutMs: 60_000 });
    } finally {
      await rt.close();
    }
    const after = pipelineRows(B);
    expect(after.revocations).toBe(0);
    expect(after.licenses).toEqual(before.licenses);
  });

  it('a repair never writes a version of a license another pipeline holds, nor adopts one the ledger holds', async () => {
    const [theirs] = pipelineRows(B).licenses as { license_id: string; latest_version: number }[];
    const [ours] = pipelineRows(A).licenses as { license_id: string; latest_version: number }[];
    if (!theirs || !ours) throw new Error('no licenses');
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const repair = (
        licenseId: string,
        after: number,
        adopt: boolean,
        reason: string,
      ): RepairVersionInput => ({
        licenseId,
        sourceKey: 'platform',
        after,
        adopt,
        status: 'revoked',
        contentHash: 'a'.repeat(64),
        reason,
        lineage: {
          pipeline: A,
          source: 'market-food',
          sourceKey: 'platform',
          runId: 'repair-test',
          catalogVersion: '1',
          mappingVersion: '1',
        },
        build: (version) => ({ identifier: `${licenseId}.${String(version).padStart(3, '0')}.X` }) as License,
      });
      const created = await ledger.appendRepairVersions({
        pipeline: A,
        runId: 'repair-test',
        actor: 'operator:test',
        versions: [
          // Another pipeline's license, adopted from the platform as unknown, or revoked as if it
          // were this pipeline's; and this pipeline's own license adopted as if the ledger lacked it.
          repair(theirs.license_id, theirs.latest_version, true, 'unknown-at-platform'),
          repair(theirs.license_id, theirs.latest_version, false, 'deleted-at-source'),
          repair(ours.license_id, ours.latest_version, true, 'unknown-at-platform'),
        ],
      });
      expect(created).toEqual([]);
    } finally {
      await rt.close();
    }
    expect(pipelineRows(B).revocations).toBe(0);
    expect(pipelineRows(A).revocations).toBe(0);
  });
});
