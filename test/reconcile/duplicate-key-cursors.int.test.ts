/**
 * The full check settles a key held by several rows at different cursors as the run does, on real
 * SQLite (the connector's key-order scan) and PostgreSQL (the in-database bucket drill-down). A
 * number reused by a newer row: the run keeps the newest row, and the full check finds the license
 * as it is — it used to map the older row too and report a `content-mismatch` on every check, which
 * a re-read could not repair. A key with one older row and two current rows that differ: the run
 * quarantines it (LB_SOURCE_KEY_DUPLICATE), and the full check counts it quarantined — it used to
 * report it missed.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { LEGACY_COLUMNS, LEGACY_TABLE } from '../../examples/west-coast/generate-legacy-db.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { type Legacy, legacyEngines } from '../support/legacy-engines.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 10;
const PAGE = 3;
// After every row the demo writes (to 2025-12-31) and before today: a cursor ahead of the
// database's clock waits for its time (cursor-past-clock).
const LATER = '2026-01-01 00:00:00';

const { sqlite, postgres } = legacyEngines(ROWS, PAGE);
const ENGINES = { sqlite, postgres };

for (const [engine, open] of Object.entries(ENGINES)) {
  describe(`the full check on keys held at several cursors, ${engine}`, () => {
    let legacy: Legacy | undefined;
    afterEach(async () => {
      await legacy?.cleanup();
      legacy = undefined;
    });

    it('the newest row is the key: no content-mismatch for a reused number, a duplicate quarantined not missed', {
      timeout: 180_000,
    }, async () => {
      legacy = await open();
      const { q, exec, ts, ws } = legacy;
      const T = q(LEGACY_TABLE);
      // The legacy rows without a key constraint; an index on the key, so the run compares a key's
      // rows in different pages. The newer rows go in first: read in key order, they come before
      // the older ones where the database keeps rows of one key in the order written.
      await exec(`CREATE TABLE ${q('T_REUSED')} AS SELECT * FROM ${T} WHERE 1 = 0`);
      await exec(`CREATE INDEX ${q('IX_REUSED_ID')} ON ${q('T_REUSED')} (${q('ID')})`);
      const newer = (id: string, name: string, at: string) => {
        const columns = LEGACY_COLUMNS.map((n) =>
          n === 'JYZMC' ? `'${name}'` : n === 'GXSJ' ? ts(at) : q(n),
        );
        return exec(
          `INSERT INTO ${q('T_REUSED')} (${LEGACY_COLUMNS.map(q).join(', ')}) SELECT ${columns.join(', ')} FROM ${T} WHERE ${q('ID')} = ${Number(id)}`,
        );
      };
      const ids = await idsOf(legacy.ws);
      const [reused, doubled] = ids;
      expect(reused).toMatch(/^\d+$/);
      expect(doubled).toMatch(/^\d+$/);
      // A number given again to a newer license: the newer row is the license.
      await newer(reused as string, '西海岸新区新持证食品店', LATER);
      // One older row and two current rows that differ: nothing tells which is the license.
      await newer(doubled as string, '西海岸新区甲食品店', LATER);
      await newer(doubled as string, '西海岸新区乙食品店', LATER);
      await exec(`INSERT INTO ${q('T_REUSED')} SELECT * FROM ${T}`);
      const yaml = (await readFile(ws.configFile, 'utf8')).replace(
        /stream: \{ table: \w+, key: ID, cursor: GXSJ \}/,
        'stream: { table: T_REUSED, key: ID, cursor: GXSJ }',
      );
      expect(yaml).toContain('table: T_REUSED,');
      await writeFile(ws.configFile, yaml);

      const config = await loadConfig({ file: ws.configFile, env: {} });
      const [summary] = await runPipelines(config, {
        pipelines: [PIPELINE],
        full: true,
        logger: quietLogger(),
      });
      expect(summary?.state).toBe('done');
      expect(summary?.quarantineByReason).toEqual({ LB_SOURCE_KEY_DUPLICATE: 1 });

      const rt = new Runtime(config, quietLogger());
      try {
        // Twice: what a check finds does not come back on the next one.
        for (let i = 0; i < 2; i++) {
          const full = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'full', store: false });
          const found = Object.entries(full.byKind).filter(([, n]) => n > 0);
          expect(found, `check ${i + 1}`).toEqual([]);
          expect(full.differences).toBe(0);
          expect(full.counts.source.quarantined).toBe(1);
          // Ten keys, one quarantined: nine licenses, as the ledger holds them, not one per row.
          expect(full.counts.source.total).toBe(ROWS - 1);
        }
      } finally {
        await rt.close();
      }
    });
  });
}

/** The legacy table's keys, in key order. */
async function idsOf(ws: DemoWorkspace): Promise<string[]> {
  const config = await loadConfig({ file: ws.configFile, env: {} });
  const rt = new Runtime(config, quietLogger());
  try {
    const parts = await rt.pipeline(PIPELINE);
    const keys: string[] = [];
    for await (const chunk of parts.source.keys(parts.config.stream)) keys.push(...chunk);
    return keys.sort((a, b) => Number(a) - Number(b));
  } finally {
    await rt.close();
  }
}
