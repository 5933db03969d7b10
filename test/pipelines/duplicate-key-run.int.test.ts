/**
 * A stream whose key column holds one key on several current rows — a view joining a license to
 * its business items, one row per item — on real SQLite, PostgreSQL and MariaDB. Those rows used
 * to become successive versions of ONE license within the page, and every full re-read flipped
 * it between them. Now every row of such a key is quarantined (LB_SOURCE_KEY_DUPLICATE), nothing
 * is created for it, the run's summary adds up, a re-read creates nothing, and once the business
 * system gives the key one row again it becomes a license and its quarantine is resolved. A
 * table whose key is unique reads as before, and a row updated between two pages of one run
 * (a newer cursor) is still read again and becomes a new version. A number reused by a newer
 * row (a later cursor, pages after the older one) makes the license the newer row's, and full
 * re-reads create nothing: the older row no longer flips it back.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { LEGACY_COLUMNS, LEGACY_TABLE } from '../../examples/west-coast/generate-legacy-db.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ExtractTotals, extractPipeline } from '../../pipelines/stages/extract.js';
import { quietLogger } from '../ops/ops-fixtures.js';
import type { DemoWorkspace } from '../support/demo-workspace.js';
import { type Legacy, legacyEngines } from '../support/legacy-engines.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 12;
const PAGE = 4;
// After every row the demo writes (to 2025-12-31) and before today: a cursor ahead of the
// database's clock waits for its time (cursor-past-clock).
const LATER = '2026-01-01 00:00:00';
const FIXED = '2026-06-01 00:00:00';

const ENGINES = legacyEngines(ROWS, PAGE);

/** Reads the pipeline once (from the start with `full`), through the extract stage alone. */
async function extract(
  legacy: Legacy,
  full: boolean,
  between?: () => Promise<void>,
): Promise<ExtractTotals & { runId: string }> {
  const config = await loadConfig({ file: legacy.ws.configFile, env: {} });
  const runtime = new Runtime(config, quietLogger());
  try {
    const parts = await runtime.pipeline(PIPELINE);
    const ledger = await runtime.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: parts.name, mode: full ? 'full' : 'incremental' });
    let pages = 0;
    const totals = await extractPipeline(parts, ledger, {
      runId,
      full,
      onPage: async () => {
        if (pages++ === 0) await between?.();
      },
      logger: runtime.logger,
    });
    return { ...totals, runId };
  } finally {
    await runtime.close();
  }
}

/** The ledger's view of the pipeline. */
function ledgerOf(ws: DemoWorkspace) {
  const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
  try {
    const versions = db
      .prepare(
        `SELECT l.source_key AS key, count(*) AS n FROM license_versions v
           JOIN licenses l ON l.license_id = v.license_id WHERE l.pipeline = ? GROUP BY l.source_key`,
      )
      .all(PIPELINE) as { key: string; n: number }[];
    const quarantine = db
      .prepare(
        'SELECT source_key, reasons, resolved_at, run_id FROM quarantine WHERE pipeline = ? ORDER BY id',
      )
      .all(PIPELINE) as { source_key: string; reasons: string; resolved_at: string | null; run_id: string }[];
    const runs = db
      .prepare('SELECT run_id, read_count, created_count, unchanged_count, quarantined_count FROM runs')
      .all() as {
      run_id: string;
      read_count: number;
      created_count: number;
      unchanged_count: number;
      quarantined_count: number;
    }[];
    return {
      versions: new Map(versions.map((v) => [v.key, Number(v.n)])),
      quarantine: quarantine.map((q) => ({
        ...q,
        codes: (JSON.parse(q.reasons) as { code: string }[]).map((r) => r.code),
      })),
      runs: new Map(runs.map((r) => [r.run_id, r])),
    };
  } finally {
    db.close();
  }
}

function expectAddsUp(legacy: Legacy, t: ExtractTotals & { runId: string }): void {
  expect(t.read).toBe(t.created + t.unchanged + t.quarantined);
  const run = ledgerOf(legacy.ws).runs.get(t.runId);
  expect(run).toBeDefined();
  expect(Number(run?.read_count)).toBe(t.read);
  expect(Number(run?.read_count)).toBe(
    Number(run?.created_count) + Number(run?.unchanged_count) + Number(run?.quarantined_count),
  );
}

const useStream = async (legacy: Legacy, table: string) => {
  const yaml = (await readFile(legacy.ws.configFile, 'utf8')).replace(
    /stream: \{ table: \w+, key: ID, cursor: GXSJ \}/,
    `stream: { table: ${table}, key: ID, cursor: GXSJ }`,
  );
  expect(yaml).toContain(`table: ${table},`);
  await writeFile(legacy.ws.configFile, yaml);
};

for (const [engine, open] of Object.entries(ENGINES)) {
  describe(`one key on several rows, ${engine}`, () => {
    let legacy: Legacy | undefined;
    afterEach(async () => {
      await legacy?.cleanup();
      legacy = undefined;
    });

    it('a view joining business items: the repeated keys are quarantined, nothing flaps, fixing the source resolves them', {
      timeout: 120_000,
    }, async () => {
      legacy = await open();
      const { q, exec, ws } = legacy;
      const T = q(LEGACY_TABLE);
      const c = (n: string) => `x.${q(n)}`;

      // A table with a unique key: every row once; a row changed after the first page (a newer
      // cursor) is read again later in the same run and becomes version 2.
      let changed = '';
      const first = await extract(legacy, true, async () => {
        const db = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
        changed = db
          .prepare('SELECT source_key FROM licenses WHERE pipeline = ? ORDER BY source_key LIMIT 1')
          .pluck()
          .get(PIPELINE) as string;
        db.close();
        await exec(
          `UPDATE ${T} SET ${q('GXSJ')} = '${LATER}', ${q('JYZMC')} = '西海岸新区更名食品店' WHERE ${q('ID')} = ${Number(changed)}`,
        );
      });
      expect(changed).toMatch(/^\d+$/);
      expect(first.read).toBe(ROWS + 1);
      expectAddsUp(legacy, first);
      const before = ledgerOf(ws);
      expect(before.versions.get(changed)).toBe(2);
      expect(before.quarantine.flatMap((r) => r.codes)).not.toContain('LB_SOURCE_KEY_DUPLICATE');
      const licensed = [...before.versions.keys()]
        .filter((k) => k !== changed)
        .sort((a, b) => Number(a) - Number(b));
      expect(licensed.length).toBeGreaterThanOrEqual(3);
      const dup = licensed.slice(0, 2);

      // The same rows through a view over the items, two licenses holding two items each. A fresh
      // ledger: nothing may be created for the repeated keys.
      await exec(`CREATE TABLE ${q('T_JYXM')} (${q('XKZ_ID')} INTEGER, ${q('XM')} VARCHAR(500))`);
      await exec(`INSERT INTO ${q('T_JYXM')} SELECT ${q('ID')}, ${q('JYXM')} FROM ${T}`);
      await exec(
        `INSERT INTO ${q('T_JYXM')} VALUES ${dup.map((k) => `(${Number(k)}, '预包装食品销售（含冷藏冷冻食品）')`).join(', ')}`,
      );
      const columns = LEGACY_COLUMNS.map((n) => (n === 'JYXM' ? `i.${q('XM')} AS ${q('JYXM')}` : c(n)));
      await exec(
        `CREATE VIEW ${q('V_XKZ')} AS SELECT ${columns.join(', ')} FROM ${T} x JOIN ${q('T_JYXM')} i ON i.${q('XKZ_ID')} = x.${q('ID')}`,
      );
      await useStream(legacy, 'V_XKZ');
      for (const f of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm'])
        await rm(join(ws.dir, 'data', f), { force: true });

      const viewed = await extract(legacy, true);
      expect(viewed.read).toBe(ROWS + 2);
      expectAddsUp(legacy, viewed);
      expect(viewed.quarantined).toBeGreaterThanOrEqual(4);
      const after = ledgerOf(ws);
      for (const k of dup) {
        expect(after.versions.has(k)).toBe(false);
        const records = after.quarantine.filter((r) => r.source_key === k);
        expect(records).toHaveLength(1);
        expect(records[0]?.codes).toEqual(['LB_SOURCE_KEY_DUPLICATE']);
        expect(records[0]?.reasons).toContain('`ID`');
        expect(records[0]?.resolved_at).toBeNull();
      }
      // The other licenses are read as from the table: one version each.
      for (const k of licensed.slice(2)) expect(after.versions.get(k)).toBe(1);

      // Read again: nothing created, no license flipping between the rows of one key.
      const again = await extract(legacy, true);
      expect(again.created).toBe(0);
      expectAddsUp(legacy, again);
      expect(ledgerOf(ws).versions).toEqual(after.versions);

      // The business system gives each key one row again (and its edit moves the cursor): the next
      // incremental run makes them licenses and resolves their quarantine records.
      await exec(`DELETE FROM ${q('T_JYXM')} WHERE ${q('XM')} = '预包装食品销售（含冷藏冷冻食品）'`);
      await exec(
        `UPDATE ${T} SET ${q('GXSJ')} = '${FIXED}' WHERE ${q('ID')} IN (${dup.map(Number).join(', ')})`,
      );
      const fixed = await extract(legacy, false);
      expect(fixed.read).toBe(dup.length);
      expect(fixed.created).toBe(dup.length);
      expectAddsUp(legacy, fixed);
      const resolved = ledgerOf(ws);
      for (const k of dup) {
        expect(resolved.versions.get(k)).toBe(1);
        const records = resolved.quarantine.filter((r) => r.source_key === k);
        expect(records).toHaveLength(2);
        expect(records.every((r) => r.resolved_at !== null)).toBe(true);
      }
    });

    it('a reused number: the older row, pages before the newer, never flips the license back', {
      timeout: 120_000,
    }, async () => {
      legacy = await open();
      const { q, exec, ws, ts } = legacy;
      const first = await extract(legacy, true);
      expectAddsUp(legacy, first);
      const [reused] = [...ledgerOf(ws).versions.keys()].sort((a, b) => Number(a) - Number(b));
      expect(reused).toMatch(/^\d+$/);
      // The same rows without a key constraint, and the number given again to a newer license.
      await exec(`CREATE TABLE ${q('T_REUSED')} AS SELECT * FROM ${q(LEGACY_TABLE)}`);
      const columns = LEGACY_COLUMNS.map((n) =>
        n === 'JYZMC' ? `'西海岸新区新持证食品店'` : n === 'GXSJ' ? ts(LATER) : q(n),
      );
      await exec(
        `INSERT INTO ${q('T_REUSED')} (${LEGACY_COLUMNS.map(q).join(', ')}) SELECT ${columns.join(', ')} FROM ${q(LEGACY_TABLE)} WHERE ${q('ID')} = ${Number(reused)}`,
      );
      await exec(`CREATE INDEX ${q('IX_REUSED_ID')} ON ${q('T_REUSED')} (${q('ID')})`);
      await useStream(legacy, 'T_REUSED');

      const read = await extract(legacy, true);
      expectAddsUp(legacy, read);
      expect(read.read).toBe(ROWS);
      expect(read.created).toBe(1);
      expect(ledgerOf(ws).versions.get(reused as string)).toBe(2);
      for (let i = 0; i < 2; i++) {
        const again = await extract(legacy, true);
        expectAddsUp(legacy, again);
        expect(again.created).toBe(0);
      }
      expect(ledgerOf(ws).versions.get(reused as string)).toBe(2);
    });
  });
}
