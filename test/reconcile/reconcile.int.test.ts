import { readFile, writeFile } from 'node:fs/promises';
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
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { editSimulator, type SimulatorState } from '../support/simulator-edit.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';

describe('reconcile: source ⇄ ledger ⇄ platform', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let sim: ProvinceSimulator;

  const check = async () => {
    const rt = new Runtime(config, logger);
    try {
      return await reconcilePipeline(rt, { pipeline: PIPELINE });
    } finally {
      await rt.close();
    }
  };
  const run = async () => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  };
  /** Stops the simulator, edits what it holds, starts it again on the same port. */
  const editPlatform = async (edit: (state: SimulatorState) => void) => {
    sim = await editSimulator(sim, ws.dir, edit);
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 120, seed: 11 });
    // The test decides what a repair does with deletions and licenses only the platform knows.
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      `${yaml}reconcile: { deletedAtSource: revoke, unknownAtPlatform: revoke, buckets: 64 }\n`,
    );
    config = await loadConfig({ file: ws.configFile, env: {} });
    sim = ws.simulator;
    await run();
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    await ws?.cleanup();
  });

  it('finds nothing right after a run, and looks only at buckets holding rows that do not map', async () => {
    const report = await check();
    expect(report.differences).toBe(0);
    expect(report.counts.source.total).toBe(report.counts.ledger.total);
    // Quarantined rows hold no license, so their buckets are always read; no other bucket is.
    expect(report.buckets.differing).toBeLessThanOrEqual(report.counts.source.quarantined);
    expect(report.counts.targets.province).toMatchObject({ total: report.counts.ledger.total });
  });

  it('CHAR padding changes the raw row but never shows as a difference, and a full run takes the new fingerprints', async () => {
    // Pad CHAR columns further without touching the cursor: the database's fingerprint of the row
    // changes, so its bucket is read in detail — and the mapping (trim) finds the same license.
    const db = new Database(ws.legacyDb);
    db.prepare(`UPDATE ${TABLE} SET XKZBH = XKZBH || '    ', XZQH = XZQH || ' ' WHERE ID % 3 = 0`).run();
    db.close();
    const padded = await check();
    expect(padded.differences).toBe(0);
    expect(padded.counts.source.total).toBe(padded.counts.ledger.total);
    expect(padded.buckets.differing).toBeGreaterThan(padded.counts.source.quarantined);

    // A full run writes no version (same content) but stores the rows' new fingerprints.
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: true, logger });
    expect(s?.state).toBe('done');
    const after = await check();
    expect(after.differences).toBe(0);
    expect(after.buckets.differing).toBeLessThanOrEqual(after.counts.source.quarantined);
  });

  it('reports each kind of difference exactly once, repairs them all, and then finds none', async () => {
    const db = new Database(ws.legacyDb);
    const valid = (
      db.prepare(`SELECT ID FROM ${TABLE} WHERE ZT = '1' ORDER BY ID`).pluck().all() as number[]
    ).map(String);
    const rt = new Runtime(config, logger);
    const ledger = await rt.ledger();
    // Valid licenses, so that each makes its own kind below (the status drift needs one in force).
    const inLedger = new Set(
      (await ledger.licensesAtTarget(PIPELINE, 'province', '', 10_000))
        .filter((l) => l.status === 'valid')
        .map((l) => l.sourceKey),
    );
    await rt.close();
    const [drift, deleted, changed, lost] = valid.filter((k) => inLedger.has(k));
    if (!drift || !deleted || !changed || !lost) throw new Error('not enough licenses');

    // Status drift, part 1: revoked in the source and delivered…
    db.prepare(`UPDATE ${TABLE} SET ZT = '0', GXSJ = '2099-01-01 00:00:00' WHERE ID = ?`).run(drift);
    db.close();
    await run();
    const db2 = new Database(ws.legacyDb);
    // Missed: a row committed behind the checkpoint (an old cursor value) is never read incrementally.
    const maxId = db2.prepare(`SELECT max(ID) FROM ${TABLE}`).pluck().get() as number;
    const missed = String(maxId + 1);
    db2
      .prepare(
        `INSERT INTO ${TABLE} SELECT ?, XKZBH, JYZMC, TYSHXYDM, FDDBR, FDDBRSFZ, JYCS, ZTYT, JYXM, FZRQ, YXQZ, FZJG, ZT, XZQH, '1990-01-01 00:00:00', YZSBH FROM ${TABLE} WHERE ID = ?`,
      )
      .run(missed, changed);
    // Deleted at source: a hard delete, invisible to cursor sync.
    db2.prepare(`DELETE FROM ${TABLE} WHERE ID = ?`).run(deleted);
    // Content mismatch: edited without moving the cursor.
    db2.prepare(`UPDATE ${TABLE} SET JYCS = '青岛市黄岛区长江西路 1 号' WHERE ID = ?`).run(changed);
    db2.close();

    const rt2 = new Runtime(config, logger);
    const l2 = await rt2.ledger();
    const byKey = new Map(
      (await l2.licensesAtTarget(PIPELINE, 'province', '', 10_000)).map((l) => [l.sourceKey, l]),
    );
    await rt2.close();
    const driftId = byKey.get(drift)?.licenseId;
    const lostId = byKey.get(lost)?.licenseId;
    await editPlatform((state) => {
      // …status drift, part 2: the platform lost the revocation and shows the license valid again.
      state.entries = state.entries.filter((e) => !(e.licenseId === driftId && e.version === 2));
      // Missing at the platform.
      state.entries = state.entries.filter((e) => e.licenseId !== lostId);
      // Unknown at the platform: a license of this type and issuer licbridge never sent.
      const model = state.entries.find((e) => e.licenseId !== driftId);
      if (!model) throw new Error('empty platform');
      const unknownId = `${model.licenseId.split('.').slice(0, -1).join('.')}.ZZZZZZZZZZ`;
      state.entries.push({
        ...structuredClone(model),
        key: `${unknownId}:1:province`,
        licenseId: unknownId,
        version: 1,
        license: { ...model.license, zzbs: `${unknownId}.001.X` },
      });
    });

    const report = await check();
    expect(report.byKind).toEqual({
      missed: 1,
      'deleted-at-source': 1,
      'content-mismatch': 1,
      unmappable: 0,
      'missing-at-platform': 1,
      'unknown-at-platform': 1,
      'status-drift': 1,
      'platform-content-mismatch': 0,
      // The simulator's own listing holds no entry that cannot be read back.
      'unreadable-at-platform': 0,
    });
    const keyOf = (kind: string) => report.all.find((d) => d.kind === kind)?.sourceKey;
    expect(keyOf('missed')).toBe(missed);
    expect(keyOf('deleted-at-source')).toBe(deleted);
    expect(keyOf('content-mismatch')).toBe(changed);
    expect(keyOf('missing-at-platform')).toBe(lost);
    expect(keyOf('status-drift')).toBe(drift);
    // The report is kept in the ledger under its id, and shows no personal data in clear.
    const rt3 = new Runtime(config, logger);
    try {
      const [stored] = await (await rt3.ledger()).getReports({ reportId: report.reportId });
      expect(stored?.differences).toBe(6);
      const plan = planRepairs(rt3, report);
      expect(plan.byAction).toEqual({
        're-read': 2,
        revoke: 1,
        cancel: 0,
        'adopt-revoke': 1,
        're-deliver': 2,
        flag: 0,
      });
      const applied = await applyRepairs(rt3, plan, { logger, idleTimeoutMs: 60_000 });
      expect(applied.reopened).toBe(2);
    } finally {
      await rt3.close();
    }

    const after = await check();
    expect(after.byKind).toEqual(Object.fromEntries(Object.keys(report.byKind).map((k) => [k, 0])));
    expect(after.differences).toBe(0);
  }, 180_000);
});
