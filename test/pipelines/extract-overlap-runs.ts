/**
 * Fresh runs of the demo pipeline over 12 rows in pages of four, for the tests of a page's queueing
 * overlapping the next page's read, map and commit: each run with a ledger of its own (every row a
 * new version), each commit noted in `events`. Opened before the tests of the calling file or
 * `describe` block and closed after them.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger, type Logger } from '../../core/logger.js';
import type { CommitPageInput, Ledger } from '../../ledger/ledger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { overriding } from '../support/meanwhile.js';

export interface FreshRunOptions {
  /** Told each page's number once it is committed. */
  committed?: (page: number) => void;
  /**
   * Runs ahead of the commit of page `page` (another extraction's writes meanwhile); throwing,
   * it fails that commit.
   */
  before?: (input: CommitPageInput, page: number, real: Ledger, runId: string) => Promise<void>;
  logger?: Logger;
}

export function overlapRuns() {
  let ws: DemoWorkspace | undefined;
  let runtime: Runtime | undefined;
  let yaml = '';
  let runs = 0;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12 });
    // Three pages of four rows.
    yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url });
    yaml = yaml.replace('    pageSize: 100\n', '    pageSize: 4\n');
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
    await ws?.cleanup();
  });

  /**
   * A fresh ledger-backed run of the pipeline, each commit noted in `events`: `ledger` notes them,
   * `real` is the runtime's own.
   */
  async function fresh(events: string[], options: FreshRunOptions = {}) {
    await runtime?.close();
    if (!ws) throw new Error('no workspace');
    runs += 1;
    const own = yaml.replace('./data/ledger.db', `./data/ledger-${runs}.db`);
    expect(own).not.toBe(yaml);
    await writeFile(ws.configFile, own);
    const config = await loadConfig({ file: ws.configFile, env: {} });
    runtime = new Runtime(config, options.logger ?? createLogger({ level: 'silent' }));
    const parts = await runtime.pipeline('food-business-licenses');
    const real = await runtime.ledger();
    const runId = randomUUID();
    let commits = 0;
    const ledger = overriding(real, {
      commitPage: async (input: CommitPageInput) => {
        await options.before?.(input, commits + 1, real, runId);
        const out = await real.commitPage(input);
        commits += 1;
        events.push(`commit ${commits}`);
        options.committed?.(commits);
        return out;
      },
    } as Partial<Ledger>);
    await real.startRun({ runId, pipeline: parts.name, mode: 'full' });
    return { parts, ledger, real, runId, runtime, config };
  }

  return { fresh };
}
