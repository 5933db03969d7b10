/**
 * An objection upheld, a reconciliation's repairs and a dead-letter replay write versions and
 * deliveries under the configuration of the process that runs them (its mapping re-reads the
 * source, its targets are sent to): each records that configuration, as `licbridge run` does,
 * when it differs from the last one recorded, before its first act.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { AuditEntry } from '../../ledger/audit-types.js';
import { replayDeadLetters } from '../../pipelines/dead-letters.js';
import { upholdObjectionFor } from '../../pipelines/lifecycle/objections.js';
import { applyRepairs } from '../../pipelines/reconcile/apply-repairs.js';
import { Runtime } from '../../pipelines/runtime.js';
import { objectionWorkspace, PIPELINE } from '../lifecycle/objection-fixture.js';
import { quietLogger } from '../ops/ops-fixtures.js';

const CATALOG = 'catalog:food-business-license.yaml';
const demo = objectionWorkspace(6);

/** The `config` entries of the demo's ledger, in order. */
const configEntries = (): Pick<AuditEntry, 'seq' | 'actor' | 'detail'>[] =>
  demo.sql((db) =>
    db.prepare("SELECT seq, actor, detail FROM audit_log WHERE action = 'config' ORDER BY seq").all(),
  ) as Pick<AuditEntry, 'seq' | 'actor' | 'detail'>[];

/** The catalog file edited (a comment): the configuration the next process loads differs. */
async function catalogEdited() {
  await appendFile(join(demo.ws.dir, 'catalog', 'food-business-license.yaml'), `# reviewed ${Date.now()}\n`);
  return loadConfig({ file: demo.ws.configFile, env: {} });
}

beforeEach(() => {
  vi.stubEnv('LICBRIDGE_ACTOR', 'clerk-4');
  return () => vi.unstubAllEnvs();
});

it('an objection upheld records the configuration it re-reads with, before the correction', {
  timeout: 120_000,
}, async () => {
  const before = configEntries();
  expect(before).toHaveLength(1);
  const { license, objection } = await demo.objected({ notObjected: true });
  demo.setPlace(license.sourceKey, '青岛西海岸新区长江中路 9 号');
  const config = await catalogEdited();

  const upheld = await upholdObjectionFor(config, objection.objectionId, 'premises corrected', quietLogger());
  expect(upheld.state).toBe('upheld');
  const after = configEntries();
  expect(after).toHaveLength(2);
  expect(after[1]?.actor).toBe('operator:clerk-4');
  const changed = Object.keys(JSON.parse(after[1]?.detail ?? '{}')).filter(
    (k) => JSON.parse(after[0]?.detail ?? '{}')[k] !== JSON.parse(after[1]?.detail ?? '{}')[k],
  );
  expect(changed).toEqual([CATALOG]);
  // Before the correction's version: the chain reads this configuration, then the acts under it.
  const corrected = demo.sql(
    (db) =>
      db
        .prepare(
          "SELECT MIN(seq) AS seq FROM audit_log WHERE license_id = ? AND action NOT LIKE 'objection%'",
        )
        .get(license.id) as { seq: number | null },
  );
  expect(corrected.seq).not.toBeNull();
  expect(after[1]?.seq).toBeLessThan(corrected.seq ?? 0);
});

it('reconcile --repair records the configuration it repairs with', { timeout: 120_000 }, async () => {
  const config = await catalogEdited();
  const count = configEntries().length;
  const rt = new Runtime(config, quietLogger());
  try {
    const byAction = { 're-read': 0, revoke: 0, cancel: 0, 'adopt-revoke': 0, 're-deliver': 0, flag: 0 };
    await applyRepairs(
      rt,
      { reportId: 'config-audit', pipeline: PIPELINE, items: [], byAction },
      { logger: quietLogger() },
    );
  } finally {
    await rt.close();
  }
  expect(configEntries()).toHaveLength(count + 1);
});

it('dlq replay records the configuration it delivers with', { timeout: 120_000 }, async () => {
  const config = await catalogEdited();
  const count = configEntries().length;
  const r = await replayDeadLetters(config, { keys: [], wait: false, logger: quietLogger() });
  expect(r.replayed).toEqual([]);
  expect(configEntries()).toHaveLength(count + 1);
});
