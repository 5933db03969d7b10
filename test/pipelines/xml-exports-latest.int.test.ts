/**
 * An export folder whose files carry the same keys more than once, with a late file whose name
 * sorts before files already read: a first run, `run --full`, `source forget` + run and a full
 * reconcile all agree on every key's latest record (the newest update time wins wherever it sits),
 * re-reads create nothing, and a scheduled full check never hides an unread export from the next run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { forgetSource } from '../../pipelines/forget-source.js';
import { createQueues } from '../../pipelines/queues.js';
import { reconcilePipeline } from '../../pipelines/reconcile/reconcile.js';
import { queueConnection } from '../../pipelines/redis.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { startWorkers } from '../../pipelines/workers.js';
import { type ExportRecord, legacyExportRecords, writeExport } from '../connectors/xml-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const SOURCE = 'market-food';

/** What the test expects each key's latest record to say: premises marker and status code. */
type Expected = Map<string, { premises: string; status: 'valid' | 'revoked' }>;

describe('an export folder: the latest record of each key, however the folder is read', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  let base: Map<string, ExportRecord>;
  const exportsDir = () => join(ws.dir, 'exports');
  const run = async (full = false) => {
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full, logger });
    if (!s) throw new Error('no summary');
    return s;
  };
  /** One export file: for each id, the base row with the given premises, status code and update time. */
  const file = (name: string, changes: [id: number, premises: string, zt: string, gxsj: string][]) =>
    writeExport(
      exportsDir(),
      name,
      changes.map(([id, premises, zt, gxsj]) => ({
        ...(base.get(String(id)) as ExportRecord),
        JYCS: premises,
        ZT: zt,
        GXSJ: gxsj,
      })),
    );

  /** Every license's latest version in the ledger, by source key: premises and status. */
  const ledgerState = async () => {
    const rt = new Runtime(config, logger);
    try {
      const ledger = await rt.ledger();
      const licenses = await ledger.pipelineLicenses(PIPELINE);
      const versions = await ledger.getVersions(licenses.map((l) => l.versionId));
      const byId = new Map(versions.map((v) => [v.versionId, v.payload]));
      const out = new Map<string, { premises: string; status: string; version: number }>();
      for (const l of licenses) {
        const p = byId.get(l.versionId) as unknown as { surface: { premises: string }; status: string };
        out.set(l.sourceKey, { premises: p.surface.premises, status: p.status, version: l.version });
      }
      return out;
    } finally {
      await rt.close();
    }
  };

  const expectLatest = async (expected: Expected) => {
    const state = await ledgerState();
    for (const [key, want] of expected) {
      const got = state.get(key);
      expect({ key, ...got, version: undefined }).toEqual({ key, ...want, version: undefined });
    }
    return state;
  };

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 11 });
    await mkdir(exportsDir(), { recursive: true });
    const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
      .replace(
        'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
        'market-food: { kind: xml-files, path: ./exports, recordPath: Root/Records/Record, pattern: "YSXK_*.xml", trim: all }',
      )
      .replace(
        'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
        'stream: { table: Root/Records/Record, key: ID, cursor: GXSJ }',
      )
      // Which record is latest is the subject here, not the clock: the demo rows' validTo dates
      // lie partly in the past, and derived expiry would turn those licenses expired.
      .replace('    pageSize: 100\n', '    pageSize: 100\n    expiry: false\n');
    await writeFile(ws.configFile, `${yaml}reconcile: { buckets: 16 }\n`);
    config = await loadConfig({ file: ws.configFile, env: {} });
    // Forty rows that map to licenses, so every key below has a license to compare (the demo's
    // legacy rows include some that are quarantined on purpose).
    const rt = new Runtime(config, logger);
    try {
      const { mapper } = await rt.pipeline(PIPELINE);
      const mappable = legacyExportRecords(ws.legacyDb, 1, 60).filter(
        (r) => mapper({ key: String(r.ID), values: { ...r } }, 'probe').ok,
      );
      base = new Map(mappable.slice(0, 40).map((r, i) => [String(i + 1), { ...r, ID: String(i + 1) }]));
    } finally {
      await rt.close();
    }
    expect(base.size).toBe(40);
  }, 60_000);
  afterAll(async () => ws?.cleanup());

  const expected: Expected = new Map();

  it('a first run keeps the newest record of each key across files', async () => {
    const day1 = [...base.keys()].map((id): [number, string, string, string] => [
      Number(id),
      `A-${id}-1101`,
      '1',
      '2026-11-01 08:00:00',
    ]);
    await file('YSXK_20261101.xml', day1);
    await file('YSXK_20261103.xml', [
      ...[1, 2, 3, 4, 5].map((id): [number, string, string, string] => [
        id,
        `A-${id}-1103`,
        '1',
        '2026-11-03 08:00:00',
      ]),
      ...[6, 7, 8].map((id): [number, string, string, string] => [
        id,
        `A-${id}-1101`,
        '0',
        '2026-11-03 09:00:00',
      ]),
    ]);
    await file('YSXK_20261106.xml', [[9, 'A-9-1106', '1', '2026-11-06 08:00:00']]);
    for (const id of base.keys()) expected.set(id, { premises: `A-${id}-1101`, status: 'valid' });
    for (const id of [1, 2, 3, 4, 5]) expected.set(String(id), { premises: `A-${id}-1103`, status: 'valid' });
    for (const id of [6, 7, 8]) expected.set(String(id), { premises: `A-${id}-1101`, status: 'revoked' });
    expected.set('9', { premises: 'A-9-1106', status: 'valid' });

    const s = await run();
    // Distinct keys: a key in three files is read once, as its latest record.
    expect(s.read).toBe(40);
    expect(s.created).toBe(40);
    const state = await expectLatest(expected);
    // No intermediate state was ever a version: every license is at version 1.
    expect([...state.values()].every((l) => l.version === 1)).toBe(true);
  });

  it('a late file that sorts before files already read: only its newer records count', async () => {
    // Key 1 and key 9 are older here than what was read; key 6 would bring a revoked licence back
    // to valid with an older record; key 10 is a correction newer than anything read (and its
    // update time is written the way another export tool writes it).
    await file('YSXK_20261102_2.xml', [
      [1, 'A-1-1102', '1', '2026-11-02 08:00:00'],
      [9, 'A-9-1105', '1', '2026-11-05 08:00:00'],
      [6, 'A-6-1102', '1', '2026-11-02 08:00:00'],
      [10, 'A-10-1107', '1', '2026/11/7 8:00'],
    ]);
    expected.set('10', { premises: 'A-10-1107', status: 'valid' });
    const s = await run();
    expect(s.read).toBe(4);
    expect(s.created).toBe(1);
    expect(s.unchanged).toBe(3);
    const after = await expectLatest(expected);
    expect(after.get('1')?.version).toBe(1);
    expect(after.get('6')?.status).toBe('revoked');
    expect(after.get('9')?.version).toBe(1);
  });

  it('run --full re-reads every file and creates no version', async () => {
    const s = await run(true);
    expect(s.read).toBe(40);
    expect(s.created).toBe(0);
    await expectLatest(expected);
  });

  it('source forget, then a plain run: every file read again, no version created', async () => {
    const rt = new Runtime(config, logger);
    try {
      const forgotten = await forgetSource(rt, SOURCE);
      expect(forgotten.files).toBe(4);
      expect(forgotten.pipelines).toEqual([PIPELINE]);
    } finally {
      await rt.close();
    }
    const s = await run();
    expect(s.read).toBe(40);
    expect(s.created).toBe(0);
    await expectLatest(expected);
  });

  it('a full reconcile reads the folder whole, by distinct key, and finds nothing apart', async () => {
    const rt = new Runtime(config, logger);
    try {
      const report = await reconcilePipeline(rt, { pipeline: PIPELINE, mode: 'full', store: false });
      expect(report.byKindAndSide).toEqual({});
      expect(report.differences).toBe(0);
      const ledger = await rt.ledger();
      const licensed = (await ledger.pipelineLicenses(PIPELINE)).length;
      expect(report.counts.source.total).toBe(licensed);
      expect(report.counts.source.total).toBe(40);
      expect(report.counts.source.quarantined).toBe(0);
    } finally {
      await rt.close();
    }
  });

  it('a scheduled full check while a new export sits unread: the next run still reads it', async () => {
    const changed = [11, 12, 13, 14, 15];
    await file(
      'YSXK_20261113.xml',
      changed.map((id): [number, string, string, string] => [id, `A-${id}-1113`, '1', '2026-11-13 08:00:00']),
    );
    for (const id of changed) expected.set(String(id), { premises: `A-${id}-1113`, status: 'valid' });

    // The scheduled check is a job on the reconcile queue, worked by an ordinary worker.
    const queues = createQueues(queueConnection(config.queue.redis), config.queue.prefix, []);
    const rt = new Runtime(config, logger);
    const workers = startWorkers(rt, {
      connection: queueConnection(config.queue.redis),
      prefix: config.queue.prefix,
      queues,
      stages: ['reconcile'],
    });
    try {
      const job = await queues.reconcile.add('reconcile', { pipeline: PIPELINE });
      for (let i = 0; i < 600; i++) {
        const state = await job.getState();
        if (state === 'completed') break;
        if (state === 'failed')
          throw new Error(
            `reconcile job failed: ${(await queues.reconcile.getJob(job.id ?? ''))?.failedReason}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await job.getState()).toBe('completed');
    } finally {
      await workers.close();
      await queues.close();
      await rt.close();
    }

    const s = await run();
    expect(s.read).toBe(changed.length);
    const state = await expectLatest(expected);
    for (const id of changed) expect(state.get(String(id))?.premises).toBe(`A-${id}-1113`);
  }, 60_000);

  it('the province received no delivery twice through all of it', () => {
    expect(ws.simulator.stats().duplicates).toBe(0);
  });
});
