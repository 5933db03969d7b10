/**
 * `reconcile.deletedAtSource` changed after a repair applied it: the licenses the old policy
 * answered (revoked, with no source row) stay answered. The light check after each run used to
 * judge them by today's policy and report every earlier revocation as deleted again under
 * `cancel`, where the full check — whose bucket digests leave such licenses out — did not; in a
 * bucket the full check reads for another reason it reported them too. Both now agree.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { planRepairs } from '../../pipelines/reconcile/repair.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const TABLE = 'T_SPXK_XKZ';
const BUCKETS = 16;

describe('reconcile after a change of reconcile.deletedAtSource', () => {
  let ws: DemoWorkspace;
  let baseYaml: string;

  const configWith = async (policy: 'revoke' | 'cancel' | 'flag'): Promise<Readonly<Config>> => {
    const file = join(ws.dir, `licbridge-${policy}.yaml`);
    await writeFile(file, `${baseYaml}reconcile: { deletedAtSource: ${policy}, buckets: ${BUCKETS} }\n`);
    return loadConfig({ file, env: {} });
  };
  const check = async (config: Readonly<Config>, mode: 'full' | 'light') => {
    const rt = new Runtime(config, logger);
    try {
      return await reconcilePipeline(rt, { pipeline: PIPELINE, mode });
    } finally {
      await rt.close();
    }
  };
  const deletedIds = (r: { all: { kind: string; licenseId: string }[] }) =>
    r.all.filter((d) => d.kind === 'deleted-at-source').map((d) => d.licenseId);

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40, seed: 23 });
    baseYaml = await readFile(ws.configFile, 'utf8');
    const [s] = await runPipelines(await configWith('revoke'), {
      pipelines: [PIPELINE],
      full: false,
      logger,
    });
    expect(s?.state).toBe('done');
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('reports a revocation the old policy made as deleted neither in the light check nor in the full one', async () => {
    const revoke = await configWith('revoke');
    const rt = new Runtime(revoke, logger);
    let gone: { licenseId: string; sourceKey: string } | undefined;
    let neighbour: string | undefined;
    try {
      const ledger = await rt.ledger();
      const licenses = (await ledger.pipelineLicenses(PIPELINE)).filter((l) => l.status === 'valid');
      // Two licenses in one bucket: a change to the second makes the full check read the first's bucket.
      const byBucket = new Map<number, typeof licenses>();
      for (const l of licenses) {
        const b = keyBucket(l.sourceKey, BUCKETS);
        byBucket.set(b, [...(byBucket.get(b) ?? []), l]);
      }
      const pair = [...byBucket.values()].find((ls) => ls.length >= 2);
      if (!pair?.[0] || !pair[1]) throw new Error('no two licenses share a bucket');
      gone = pair[0];
      neighbour = pair[1].sourceKey;
    } finally {
      await rt.close();
    }
    const db = new Database(ws.legacyDb);
    db.prepare(`DELETE FROM ${TABLE} WHERE ID = ?`).run(gone.sourceKey);
    db.close();

    // Under `revoke`, the deletion is found and answered with a revocation.
    const found = await check(revoke, 'full');
    expect(deletedIds(found)).toEqual([gone.licenseId]);
    const rt2 = new Runtime(revoke, logger);
    try {
      const plan = planRepairs(rt2, found);
      expect(plan.byAction.revoke).toBe(1);
      await applyRepairs(rt2, plan, { logger, idleTimeoutMs: 60_000 });
      const [l] = (await (await rt2.ledger()).pipelineLicenses(PIPELINE)).filter(
        (x) => x.licenseId === gone?.licenseId,
      );
      expect(l?.status).toBe('revoked');
    } finally {
      await rt2.close();
    }
    expect((await check(revoke, 'full')).differences).toBe(0);
    expect((await check(revoke, 'light')).differences).toBe(0);

    // The policy becomes `cancel` (or `flag`): the revocation stays the answer, in both checks.
    for (const policy of ['cancel', 'flag'] as const) {
      const config = await configWith(policy);
      expect(deletedIds(await check(config, 'light'))).toEqual([]);
      expect(deletedIds(await check(config, 'full'))).toEqual([]);
    }

    // A change to another row of the same bucket (the cursor left as it was): the full check reads
    // that bucket row by row, and still sees the revocation as answered.
    const db2 = new Database(ws.legacyDb);
    db2.prepare(`UPDATE ${TABLE} SET JYCS = '青岛市黄岛区长江西路 9 号' WHERE ID = ?`).run(neighbour);
    db2.close();
    const cancel = await configWith('cancel');
    const full = await check(cancel, 'full');
    expect(full.byKind['content-mismatch']).toBe(1);
    expect(deletedIds(full)).toEqual([]);
    const light = await check(cancel, 'light');
    expect(light.differences).toBe(0);
  }, 180_000);

  it('leaves a license revoked at the source revoked when its row is deleted, under cancel as under revoke', async () => {
    const revoke = await configWith('revoke');
    const rt = new Runtime(revoke, logger);
    let ended: { licenseId: string; sourceKey: string } | undefined;
    try {
      const ledger = await rt.ledger();
      const inDiffering = new Set(
        (await check(revoke, 'full')).all.map((d) => d.sourceKey).filter((k) => k !== null),
      );
      ended = (await ledger.pipelineLicenses(PIPELINE)).find(
        (l) => l.status === 'valid' && !inDiffering.has(l.sourceKey),
      );
      if (!ended) throw new Error('no valid license left');
    } finally {
      await rt.close();
    }
    // Revoked in the business system and read by a run…
    const db = new Database(ws.legacyDb);
    db.prepare(`UPDATE ${TABLE} SET ZT = '0', GXSJ = '2099-01-01 00:00:00' WHERE ID = ?`).run(
      ended.sourceKey,
    );
    db.close();
    const [s] = await runPipelines(revoke, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
    // …then its row deleted.
    const db2 = new Database(ws.legacyDb);
    db2.prepare(`DELETE FROM ${TABLE} WHERE ID = ?`).run(ended.sourceKey);
    db2.close();

    for (const policy of ['cancel', 'revoke', 'flag'] as const) {
      const config = await configWith(policy);
      const full = await check(config, 'full');
      expect(deletedIds(full)).toEqual([]);
      expect(deletedIds(await check(config, 'light'))).toEqual([]);
      const rt2 = new Runtime(config, logger);
      try {
        const plan = planRepairs(rt2, full);
        expect(plan.items.filter((i) => i.difference.licenseId === ended?.licenseId)).toEqual([]);
      } finally {
        await rt2.close();
      }
    }
    const rt3 = new Runtime(revoke, logger);
    try {
      const [l] = (await (await rt3.ledger()).pipelineLicenses(PIPELINE)).filter(
        (x) => x.licenseId === ended?.licenseId,
      );
      expect(l?.status).toBe('revoked');
    } finally {
      await rt3.close();
    }
  }, 180_000);
});
