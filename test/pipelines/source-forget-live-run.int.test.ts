/**
 * `licbridge source forget` while a run of one of the source's pipelines is under way. Before, the
 * forget removed the checkpoint and said so, and the run's next page inserted its own checkpoint
 * again (the page chain checked what a page follows only when a checkpoint was stored): the source
 * was read on from there, the forget silently undone. Now the forget is refused while the run holds
 * the pipeline, naming pipeline and run (exit 4), and goes through once the run has ended and let
 * it go.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import type { CommitPageInput, Ledger } from '../../ledger/ledger.js';
import { releasePipelines, takePipeline } from '../../pipelines/pipeline-lease.js';
import { Runtime } from '../../pipelines/runtime.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const SOURCE = 'market-food';
const HOLDER = 'reading-run';
const at = (key: number) => encodeKeyPosition({ cursor: null, key: String(key) });

let ws: DemoWorkspace;
let rt: Runtime;
let ledger: Ledger;

/** A page of the run read after `follows`, its checkpoint at `key` (no rows: the chain is the point). */
const page = (key: number, follows: string | null): CommitPageInput => ({
  follows,
  pipeline: PIPELINE,
  runId: HOLDER,
  checkpoint: at(key),
  rowsRead: 0,
  candidates: [],
  quarantined: [],
});

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 5 });
  const config = await loadConfig({ file: ws.configFile, env: {} });
  rt = new Runtime(config, createLogger({ level: 'silent' }));
  ledger = await rt.ledger();
}, 60_000);

afterAll(async () => {
  await rt?.close();
  await ws?.cleanup();
});

it('is refused while a run of the pipeline reads, naming it, and forgets once the run ends', async () => {
  // A run of the pipeline in this (live) process holds it and has committed its first page.
  await ledger.startRun({ runId: HOLDER, pipeline: PIPELINE, mode: 'incremental' });
  expect(await takePipeline(ledger, PIPELINE, HOLDER)).toBeNull();
  await ledger.commitPage(page(10, null));
  const held = await ledger.pipelineLeases.holderOf(PIPELINE);

  const refused = await licbridge(['source', 'forget', SOURCE, '-c', ws.configFile], { cwd: ws.dir });
  expect(refused.stderr).toContain(
    `licbridge: source forget: pipeline ${PIPELINE} is being run by run ${HOLDER} started at ${held?.startedAt.toISOString()} on host ${hostname()} (pid ${process.pid}); its lease runs out at ${held?.until.toISOString()} unless that process renews it; nothing was forgotten; forget ${SOURCE} once that run's process has let the pipeline go (licbridge status shows the run holding it) [LB_PIPELINE_BUSY]`,
  );
  expect(refused.status).toBe(4);
  expect(refused.stdout).toBe('');
  // Nothing was forgotten, and the run reads on from its own page.
  expect(await ledger.getCheckpoint(PIPELINE)).toBe(at(10));
  await ledger.commitPage(page(20, at(10)));

  // The run ends, and its process lets the pipeline go.
  await ledger.finishRun(HOLDER, { state: 'done' });
  await releasePipelines(ledger, [{ pipeline: PIPELINE, runId: HOLDER }]);
  const forgot = await licbridge(['source', 'forget', SOURCE, '--json', '-c', ws.configFile], {
    cwd: ws.dir,
  });
  expect(forgot.status).toBe(0);
  expect(JSON.parse(forgot.stdout)).toEqual({ source: SOURCE, files: 0, pipelines: [PIPELINE] });
  expect(await ledger.getCheckpoint(PIPELINE)).toBeNull();
}, 60_000);
