/**
 * Two pipelines on one export folder and record path (here the same license type for two issuing
 * units): each keeps its own record of the files it read, so a new export file is read by both,
 * each exactly once, whichever runs first, whether they run together or apart, and across a
 * resume inside a file the other pipeline has since read whole. A record kept for the whole source
 * (ledgers from before records were per pipeline) makes neither skip a file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { encodeFileState } from '../../connectors/xml-files/files-read.js';
import { createLogger } from '../../core/logger.js';
import { type RunSummary, runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { legacyExportRecords, writeExport } from './xml-fixtures.js';

const logger = createLogger({ level: 'silent' });
const DISTRICT = 'food-business-licenses';
const CITY = 'food-business-licenses-city';
/**
 * Rows a page of the test resuming inside a file, which needs a file longer than a page: each of its
 * records is a license signed and delivered by each pipeline. At the demo's 100 the file was 250
 * records, 500 licenses; at 10 it is 25.
 */
const PAGE = 10;

/**
 * The demo's pipeline, once more for the city's issuing unit, both on the export folder; pages of
 * `pageSize` rows, else the demo's.
 */
function twoPipelinesYaml(base: string, pageSize?: number): string {
  const xml = base
    .replace(
      'market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }',
      'market-food: { kind: xml-files, path: ./exports, recordPath: Root/Records/Record, trim: all }',
    )
    .replace(
      'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
      'stream: { table: Root/Records/Record, key: ID }',
    )
    .replace('    pageSize: 100\n', `    pageSize: ${pageSize ?? 100}\n`);
  if (!xml.includes(`pageSize: ${pageSize ?? 100}\n`)) throw new Error('the demo config changed shape');
  const start = xml.indexOf(`  ${DISTRICT}:\n`);
  const end = xml.indexOf('signers:\n');
  const city = xml
    .slice(start, end)
    .replace(`  ${DISTRICT}:\n`, `  ${CITY}:\n`)
    .replace(
      'issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }',
      'issuer: { name: 青岛市市场监督管理局, code: 11370200MB12345674 }',
    );
  return `${xml.slice(0, end)}${city}${xml.slice(end)}`;
}

describe('two pipelines on one export folder', () => {
  let ws: DemoWorkspace;
  let config: Readonly<Config>;
  const exportsDir = () => join(ws.dir, 'exports');
  const file = (name: string, from: number, to: number) =>
    writeExport(exportsDir(), name, legacyExportRecords(ws.legacyDb, from, to));
  const useConfig = async (pageSize?: number) => {
    const base = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url });
    await writeFile(ws.configFile, twoPipelinesYaml(base, pageSize));
    config = await loadConfig({ file: ws.configFile, env: {} });
  };

  // Each test's own: a run left going by a test that timed out is stopped before the next starts.
  let stop: AbortController;
  let running: Promise<unknown>[];

  /** Runs the pipelines together (one run, one connector) and returns rows read by pipeline. */
  const run = async (...pipelines: string[]): Promise<Record<string, number>> => {
    // A run pauses between polls ten times as long as the last poll took, at least 0.2 s
    // (pipelines/run-watch.ts): on a loaded machine each of the ~40 pauses of these small runs
    // grew tenfold with the poll. Capped at that floor, they are looked at as on an idle machine.
    const started = runPipelines(config, {
      pipelines,
      full: false,
      logger,
      pollPauseMaxMs: 200,
      stop: stop.signal,
    });
    running.push(started.catch(() => undefined));
    const summaries = await started;
    const failed = summaries.filter((s) => s.state !== 'done');
    expect(failed.map((s: RunSummary) => `${s.pipeline}: ${s.error}`)).toEqual([]);
    // Read once means never read again: a record read a second time would count `unchanged`.
    expect(summaries.map((s) => s.unchanged)).toEqual(summaries.map(() => 0));
    return Object.fromEntries(summaries.map((s) => [s.pipeline, s.read]));
  };

  /** The source keys of a pipeline's licenses, in order. */
  const licensed = async (pipeline: string): Promise<string[]> => {
    const rt = new Runtime(config, logger);
    try {
      const keys = (await (await rt.ledger()).pipelineLicenses(pipeline)).map((l) => l.sourceKey);
      return keys.sort((a, b) => Number(a) - Number(b));
    } finally {
      await rt.close();
    }
  };

  // A workspace per test (ledger, export folder, queue prefix, simulator): what one test left,
  // failing or timed out, is no other test's starting state.
  beforeEach(async () => {
    stop = new AbortController();
    running = [];
    ws = await createDemoWorkspace({ rows: 75 });
    await mkdir(exportsDir(), { recursive: true });
    await useConfig();
  });
  afterEach(async () => {
    stop.abort('test ended');
    await Promise.all(running);
    await ws?.cleanup();
  });

  it('reads each new export file in both pipelines, each once, whichever runs first', async () => {
    await file('SPXK_0002.xml', 1, 30);
    expect(await run(DISTRICT, CITY)).toEqual({ [DISTRICT]: 30, [CITY]: 30 });
    expect(await run(DISTRICT, CITY)).toEqual({ [DISTRICT]: 0, [CITY]: 0 });

    // A new export: the district's pipeline runs first and records it as read...
    await file('SPXK_0003.xml', 31, 40);
    expect(await run(DISTRICT)).toEqual({ [DISTRICT]: 10 });
    expect(await run(DISTRICT)).toEqual({ [DISTRICT]: 0 });
    // ...which must not make the city's pipeline, resuming from its own checkpoint, skip it.
    expect(await run(CITY)).toEqual({ [CITY]: 10 });
    expect(await run(CITY)).toEqual({ [CITY]: 0 });

    // A late export whose name sorts before the files read, the other way round.
    await file('SPXK_0001.xml', 41, 45);
    expect(await run(CITY)).toEqual({ [CITY]: 5 });
    expect(await run(DISTRICT)).toEqual({ [DISTRICT]: 5 });
    expect(await run(DISTRICT, CITY)).toEqual({ [DISTRICT]: 0, [CITY]: 0 });

    // Both hold a license for every record that maps (the demo's rows include some that do not).
    const keys = await licensed(DISTRICT);
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.every((k) => Number(k) >= 1 && Number(k) <= 45)).toBe(true);
    expect(await licensed(CITY)).toEqual(keys);
    expect(ws.simulator.stats().duplicates).toBe(0);
  });

  it('resumes inside a file the other pipeline has read whole since, and reads the rest of it', async () => {
    await useConfig(PAGE);
    await file('SPXK_0004.xml', 46, 70);
    // The district's pipeline stops after its first page is committed (a crash there).
    const rt = new Runtime(config, logger);
    try {
      const parts = await rt.pipeline(DISTRICT);
      const ledger = await rt.ledger();
      const runId = randomUUID();
      await ledger.startRun({ runId, pipeline: DISTRICT, mode: 'incremental' });
      const stop = new AbortController();
      const pages: number[] = [];
      await expect(
        extractPipeline(parts, ledger, {
          runId,
          full: false,
          onPage: async () => {},
          onProgress: (p) => {
            pages.push(p.read);
            stop.abort();
          },
          signal: stop.signal,
          logger,
        }),
      ).rejects.toThrow();
      expect(pages).toEqual([PAGE]);
      await ledger.finishRun(runId, { state: 'failed', error: 'stopped' });
    } finally {
      await rt.close();
    }

    // The city's pipeline reads the file whole and records it as read...
    expect(await run(CITY)).toEqual({ [CITY]: 25 });
    // ...and the district's resumes after its page: the rest of the file, not nothing.
    expect(await run(DISTRICT)).toEqual({ [DISTRICT]: 25 - PAGE });
    expect(await run(DISTRICT, CITY)).toEqual({ [DISTRICT]: 0, [CITY]: 0 });

    const keys = await licensed(DISTRICT);
    expect(keys.filter((k) => Number(k) > 45 + PAGE).length).toBeGreaterThan(10);
    expect(await licensed(CITY)).toEqual(keys);
    expect(ws.simulator.stats().duplicates).toBe(0);
  });

  it("does not take a record kept for the whole source as either pipeline's", async () => {
    await file('SPXK_0005.xml', 71, 75);
    expect(await run(DISTRICT)).toEqual({ [DISTRICT]: 5 });
    // The district's read as releases before per-pipeline records kept it: for the source.
    const bytes = await readFile(join(exportsDir(), 'SPXK_0005.xml'));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const rt = new Runtime(config, logger);
    try {
      const value = encodeFileState({ name: 'SPXK_0005.xml', size: bytes.length, sha256 });
      await (await rt.ledger()).putStateEntry('market-food', 'Root/Records/Record', 'SPXK_0005.xml', value);
    } finally {
      await rt.close();
    }
    expect(await run(CITY)).toEqual({ [CITY]: 5 });
    expect(await run(DISTRICT, CITY)).toEqual({ [DISTRICT]: 0, [CITY]: 0 });
    expect(await licensed(CITY)).toEqual(await licensed(DISTRICT));
  });
});
