/**
 * The light check takes a source key that is not a license for explained when the key is on the
 * quarantine worklist: it has an open record (`resolved_at` null, ledger/quarantine-queries.ts). A
 * key whose records are all closed is on no worklist. A record closes without a license when a
 * person resolves it (`licbridge quarantine resolve --reason LB_SOURCE_KEY_MISSING`, ledger
 * `resolveReason`) while the row is in fact still without a key: the row gives the same stand-in,
 * no incremental run reads it again, and it must be a gap (`missed`), not counted quarantined.
 * On both ledgers.
 */
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS, postgresBackend, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';
import { ledgerPerTest } from '../ledger/ledger-per-test.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const MISSING = 'LB_SOURCE_KEY_MISSING';
const logger = createLogger({ level: 'silent' });

describe.each(BACKENDS)('open quarantine keys ($name ledger)', (backend) => {
  const open = ledgerPerTest(backend);

  async function quarantine(ledger: Ledger, pipeline: string, keys: { key: string; code: string }[]) {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: runId }),
      rowsRead: keys.length,
      candidates: [],
      quarantined: keys.map(({ key, code }) => ({ sourceKey: key, reasons: [{ code, message: 'm' }] })),
    });
    await ledger.finishRun(runId, { state: 'done' });
  }

  it('counts only the keys with an open record, and a key again once a run reopens it', async () => {
    const { ledger } = await open();
    const pipeline = uniqueName('p');
    const standIn = 'XKZBH:missing#0123456789abcdef';
    await quarantine(ledger, pipeline, [
      { key: standIn, code: MISSING },
      { key: 'k-date', code: 'LB_MAP_DATE' },
    ]);
    expect((await ledger.openQuarantineKeys(pipeline)).sort()).toEqual([standIn, 'k-date'].sort());
    expect(await ledger.openQuarantineCount(pipeline)).toBe(2);

    // A person closes the stand-in's record; no license stands on the key.
    expect(await ledger.resolveReason({ pipeline, sourceKey: standIn, code: MISSING })).toMatchObject({
      records: 1,
      licenseId: null,
    });
    expect((await ledger.openQuarantine({ pipeline })).map((e) => e.sourceKey)).toEqual(['k-date']);
    expect(await ledger.openQuarantineKeys(pipeline)).toEqual(['k-date']);
    expect(await ledger.openQuarantineCount(pipeline)).toBe(1);

    // A run quarantining the key again opens a new record beside the closed one: counted once.
    await quarantine(ledger, pipeline, [{ key: standIn, code: MISSING }]);
    expect((await ledger.openQuarantineKeys(pipeline)).sort()).toEqual([standIn, 'k-date'].sort());
    expect(await ledger.openQuarantineCount(pipeline)).toBe(2);
  });
});

describe.each(['sqlite', 'postgres'] as const)('a keyless row resolved by hand (%s ledger)', (backend) => {
  const P = 'food-business-licenses';
  let ws: DemoWorkspace;
  let database: TestDatabase | undefined;
  let config: Readonly<Config>;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 8, seed: 3 });
    const db = new Database(ws.legacyDb);
    db.prepare('UPDATE T_SPXK_XKZ SET XKZBH = NULL WHERE ID = 3').run();
    // Row 4 of this seed does not map (its holder id): taken out, so the one record is the stand-in's.
    db.prepare('DELETE FROM T_SPXK_XKZ WHERE ID = 4').run();
    db.close();
    let yaml = (await readFile(ws.configFile, 'utf8')).replace('key: ID', 'key: XKZBH');
    expect(yaml).toContain('key: XKZBH');
    if (backend === 'postgres') {
      database = await postgresBackend.create();
      yaml = yaml.replace('sqlite://./data/ledger.db', database.url);
    }
    await writeFile(ws.configFile, `${yaml}reconcile: { afterRun: none }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
  }, 120_000);

  afterAll(async () => {
    await ws?.cleanup();
    await database?.dispose();
  });

  async function withRuntime<T>(use: (rt: Runtime) => Promise<T>): Promise<T> {
    const rt = new Runtime(config, logger);
    try {
      return await use(rt);
    } finally {
      await rt.close();
    }
  }

  it('reports the row missed once its record is closed, not quarantined', async () => {
    const [first] = await runPipelines(config, { pipelines: [P], full: false, logger });
    expect(first).toMatchObject({ state: 'done', quarantined: 1 });
    const before = await withRuntime((rt) => reconcilePipeline(rt, { pipeline: P, mode: 'light' }));
    expect(before.counts.source.quarantined).toBe(1);
    expect(before.differences).toBe(0);

    // Closed by hand while the row is still without a key: it gives the same stand-in.
    const [entry] = await withRuntime(async (rt) => (await rt.ledger()).openQuarantine({ pipeline: P }));
    const standIn = entry?.sourceKey as string;
    expect(standIn).toMatch(/^XKZBH:missing#[0-9a-f]{16}$/);
    await withRuntime(async (rt) =>
      (await rt.ledger()).resolveReason({ pipeline: P, sourceKey: standIn, code: MISSING }),
    );
    expect(await withRuntime(async (rt) => (await rt.ledger()).openQuarantine({ pipeline: P }))).toEqual([]);

    // An incremental run does not read the row again: it is on no worklist and is no license.
    const [second] = await runPipelines(config, { pipelines: [P], full: false, logger });
    expect(second).toMatchObject({ state: 'done', created: 0, quarantined: 0 });
    const after = await withRuntime((rt) => reconcilePipeline(rt, { pipeline: P, mode: 'light' }));
    expect(after.counts.source.quarantined).toBe(0);
    expect(after.all.map((d) => [d.kind, d.sourceKey])).toEqual([['missed', standIn]]);
  }, 120_000);
});
