/**
 * A full check of a source without bucket digests (an XML export folder) reads the ledger's
 * licenses of the differing buckets once more after the source. It kept them all in one list until
 * it compared them: once changes spread over every bucket (a few thousand at 4,096 buckets), every
 * license of the pipeline, agreeing or not, was in memory at once (measured: 266 MB of licenses at
 * 1,000,000). It compares them a page at a time now, holding the differences only; the differences
 * found are the same.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { keyBucket } from '../../core/reconcile-digest.js';
import type { LedgerLicense } from '../../ledger/audit-types.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ExportRecord, legacyExportRecords, writeExport } from '../connectors/xml-fixtures.js';
import { BACKENDS, type TestDatabase } from '../ledger/backends.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const BUCKETS = 16;
const PAGE = 10;
/**
 * Rows of the export: more than three pages of licenses in the walk, every bucket among them. Each
 * page read in the walk is followed by a full garbage collection (~60 ms of CPU here).
 */
const ROWS = 50;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe.each(BACKENDS)(
  'a full check of an export folder, every bucket differing ($name ledger)',
  (backend) => {
    let ws: DemoWorkspace;
    let db: TestDatabase;
    let config: Readonly<Config>;
    let records: ExportRecord[];

    beforeAll(async () => {
      ws = await createDemoWorkspace({ rows: ROWS, seed: 29 });
      db = await backend.create();
      const exportsDir = join(ws.dir, 'exports');
      await mkdir(exportsDir, { recursive: true });
      const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
        .replace('sqlite://./data/ledger.db', db.url)
        .replace(
          'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
          'market-food: { kind: xml-files, path: ./exports, recordPath: Root/Records/Record, pattern: "YSXK_*.xml", trim: all }',
        )
        .replace(
          'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
          'stream: { table: Root/Records/Record, key: ID, cursor: GXSJ }',
        )
        .replace('    pageSize: 100\n', '    pageSize: 100\n    expiry: false\n');
      await writeFile(ws.configFile, `${yaml}reconcile: { buckets: ${BUCKETS}, pageSize: ${PAGE} }\n`);
      config = await loadConfig({ file: ws.configFile, env: {} });
      const rt = new Runtime(config, logger);
      try {
        const { mapper } = await rt.pipeline(PIPELINE);
        records = legacyExportRecords(ws.legacyDb, 1, ROWS)
          .filter((r) => mapper({ key: String(r.ID), values: { ...r } }, 'probe').ok)
          .map((r) => ({ ...r, GXSJ: '2026-11-01 08:00:00' }));
      } finally {
        await rt.close();
      }
      await writeExport(exportsDir, 'YSXK_20261101.xml', records);
      const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
      expect(s?.state).toBe('done');
      // One record of each bucket changed in place, its update time left as it was: every bucket differs.
      const changed = new Set<string>();
      const seen = new Set<number>();
      for (const r of records) {
        const b = keyBucket(String(r.ID), BUCKETS);
        if (seen.has(b)) continue;
        seen.add(b);
        changed.add(String(r.ID));
        r.JYCS = `${r.JYCS ?? ''}（变更）`;
      }
      expect(seen.size).toBe(BUCKETS);
      expect(records.length).toBeGreaterThan(BUCKETS * 2);
      await writeExport(exportsDir, 'YSXK_20261101.xml', records);
      changedKeys = changed;
    }, 180_000);
    afterAll(async () => {
      await ws?.cleanup();
      await db?.dispose();
    });
    let changedKeys = new Set<string>();

    it('holds a page of licenses at a time, not every license of the differing buckets', async () => {
      const rt = new Runtime(config, logger);
      try {
        const ledger = await rt.ledger();
        const read = ledger.pipelineLicensePage.bind(ledger);
        // Each license a page handed out, by the number of the read that handed it out.
        const handed: { call: number; ref: WeakRef<LedgerLicense> }[] = [];
        let calls = 0;
        let mostAlive = 0;
        // Watched once the source is read: the walk that compares the differing buckets' licenses.
        let phase = '';
        let walks = 0;
        ledger.pipelineLicensePage = async (pipeline: string, after: string, limit: number) => {
          const page = await read(pipeline, after, limit);
          if (phase === 'source' && after === '') walks++;
          // The first walk once the source is read; the platform's walk comes after it.
          if (phase !== 'source' || walks !== 1) return page;
          calls++;
          // A WeakRef keeps its target until the job that made or read it ends (ECMAScript
          // ClearKeptObjects): a SQLite ledger answers without leaving the job, so leave it first.
          await new Promise((resolve) => setImmediate(resolve));
          gc();
          // Licenses handed out two reads ago or earlier that are still held.
          const alive = handed.filter((h) => h.call < calls - 1 && h.ref.deref() !== undefined).length;
          mostAlive = Math.max(mostAlive, alive);
          for (const l of page) handed.push({ call: calls, ref: new WeakRef(l) });
          return page;
        };
        const report = await reconcilePipeline(rt, {
          pipeline: PIPELINE,
          store: false,
          onProgress: (p) => {
            phase = p.phase;
          },
        });
        expect(calls).toBeGreaterThan(3);
        expect(report.buckets.differing).toBe(BUCKETS);
        expect(
          report.all
            .filter((d) => d.target === null)
            .map((d) => [d.kind, d.sourceKey])
            .sort(),
        ).toEqual([...changedKeys].sort().map((k) => ['content-mismatch', k]));
        expect(mostAlive).toBe(0);
      } finally {
        await rt.close();
      }
    }, 120_000);
  },
);
