/**
 * An export tool that leaves out empty elements wrote a file none of whose records carries an
 * element the config names: its rows are read with the element null, and none is quarantined. The
 * run that reads the file says so in its summary, JSON and table alike, naming the element and
 * counting the file once — also when its extract job failed inside the file and the retry read on
 * from the checkpoint, the connector telling of the file again on the first page it read.
 * `status` tells of it under the last run's counts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { statusText } from '../../cli/commands/status.js';
import { summaryJson, summaryTable } from '../../cli/summary.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { type RunSummary, runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { type ExportRecord, legacyExportRecords, writeExport } from '../connectors/xml-fixtures.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const WARNING = /^ {2}warning: .*LB_SOURCE_ELEMENT_ABSENT.*$/m;

describe('a run reading an export file that leaves out an element', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const exportsDir = () => join(ws.dir, 'exports');
  /** Records of the demo's rows; `BZ` (a remark the mapping does not read) only when `remark`. */
  const records = (from: number, to: number, remark: boolean): ExportRecord[] =>
    legacyExportRecords(ws.legacyDb, from, to).map((r) => (remark ? { ...r, BZ: '无' } : r));
  const run = async (): Promise<RunSummary> => {
    const [summary] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    if (!summary) throw new Error('no summary');
    return summary;
  };
  const printed = (s: RunSummary) => ({
    json: (JSON.parse(summaryJson([s])) as { runs: Record<string, unknown>[] }).runs[0],
    table: summaryTable([s]),
  });

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60 });
    await mkdir(exportsDir(), { recursive: true });
    const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
      .replace(
        'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
        'market-food: { kind: xml-files, path: ./exports, recordPath: Root/Records/Record, trim: all, fields: [ID, BZ] }',
      )
      .replace(
        'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
        'stream: { table: Root/Records/Record, key: ID }',
      )
      // Pages of ten: a file of 25 records is read in three.
      .replace('pageSize: 100', 'pageSize: 10');
    await writeFile(ws.configFile, yaml);
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => ws?.cleanup());

  it('names the element and counts the file in the JSON and the table, and a run without such a file does not', async () => {
    await writeExport(exportsDir(), 'SPXK_0001.xml', records(1, 25, false));
    await writeExport(exportsDir(), 'SPXK_0002.xml', records(26, 30, true));
    const first = await run();
    expect(first.state).toBe('done');
    expect(first.read).toBe(30);
    const { json, table } = printed(first);
    expect(json?.absentElements).toEqual({ files: 1, elements: ['BZ'] });
    expect(table.match(WARNING)?.[0]).toBe(
      '  warning: 1 file read with `BZ` in no record, null in their rows (LB_SOURCE_ELEMENT_ABSENT; the log names the files)',
    );
    // Names only: neither the file's values nor its name are in the summary.
    expect(table).not.toContain('无');

    await writeExport(exportsDir(), 'SPXK_0003.xml', records(31, 35, true));
    const clean = await run();
    expect(clean.read).toBe(5);
    expect(printed(clean).json).not.toHaveProperty('absentElements');
    expect(printed(clean).table).not.toMatch(WARNING);
  });

  it('counts the file once when the extract job failed inside it and its retry read on', async () => {
    await writeExport(exportsDir(), 'SPXK_0004.xml', records(36, 60, false));
    // The ledger's answer to the file's second page is lost after the commit (a dropped
    // connection): the job fails, and its retry reads on from that page's checkpoint, the third
    // page first — the first page of the file this read, which tells of the file again.
    const commit = KnexLedger.prototype.commitPage;
    let pages = 0;
    vi.spyOn(KnexLedger.prototype, 'commitPage').mockImplementation(async function (this: KnexLedger, input) {
      const result = await commit.call(this, input);
      pages += 1;
      if (pages === 2)
        throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: commitPage failed: connection lost', {
          retryable: true,
        });
      return result;
    });
    const resumed = await run();
    expect(pages).toBe(3);
    expect(resumed.state).toBe('done');
    expect(resumed.read).toBe(25);
    expect(printed(resumed).json?.absentElements).toEqual({ files: 1, elements: ['BZ'] });
    expect(printed(resumed).table).toContain('  warning: 1 file read with `BZ` in no record');
    expect(ws.simulator.stats().duplicates).toBe(0);
  });

  it("is told in status's last run, under its counts", async () => {
    const rt = new Runtime(config, logger);
    try {
      const report = await collectStatus(
        config,
        await rt.ledger(),
        { error: 'not asked' },
        { probeSources: false },
      );
      expect(report.pipelines[0]?.lastRun?.absentElements).toEqual({ files: 1, elements: ['BZ'] });
      // Under the run's counts, before anything else of the pipeline.
      expect(statusText(report)).toMatch(
        /\n {4}read 25 = [^\n]*\n {4}warning: 1 file read with `BZ` in no record, null in their rows \(LB_SOURCE_ELEMENT_ABSENT; the log names the files\)\n/,
      );
    } finally {
      await rt.close();
    }
  });
});
