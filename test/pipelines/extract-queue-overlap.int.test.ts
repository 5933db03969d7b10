import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { CommitPageInput, CreatedVersion, Ledger } from '../../ledger/ledger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { overriding } from '../support/meanwhile.js';

// A committed page's sign jobs are queued (Redis round trips) while the next page is read, mapped
// and committed, so signing is fed without a gap per page: one page's queueing at a time, in page
// order, all of it done before the extraction returns, and a failure of it thrown before the read
// gets further than the page after.
describe('extract: queueing a page overlaps the next page', () => {
  let ws: DemoWorkspace | undefined;
  let runtime: Runtime | undefined;
  let yaml = '';
  let runs = 0;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 12 });
    // Three pages of four rows.
    yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url });
    yaml = yaml.replace('    pageSize: 100\n', '    pageSize: 4\n');
  });
  afterAll(async () => {
    await runtime?.close();
    await ws?.cleanup();
  });

  /** A fresh ledger-backed run of the pipeline, each commit noted in `events` and told `committed`. */
  async function freshRun(events: string[], committed: (page: number) => void = () => undefined) {
    await runtime?.close();
    if (!ws) throw new Error('no workspace');
    // A ledger of its own: every row of the run is a new version.
    runs += 1;
    const own = yaml.replace('./data/ledger.db', `./data/ledger-${runs}.db`);
    expect(own).not.toBe(yaml);
    await writeFile(ws.configFile, own);
    runtime = new Runtime(
      await loadConfig({ file: ws.configFile, env: {} }),
      createLogger({ level: 'silent' }),
    );
    const parts = await runtime.pipeline('food-business-licenses');
    const real = await runtime.ledger();
    let commits = 0;
    const ledger = overriding(real, {
      commitPage: async (input: CommitPageInput) => {
        const out = await real.commitPage(input);
        commits += 1;
        events.push(`commit ${commits}`);
        committed(commits);
        return out;
      },
    } as Partial<Ledger>);
    const runId = randomUUID();
    await real.startRun({ runId, pipeline: parts.name, mode: 'full' });
    return { parts, ledger, runId };
  }

  it("commits the next page while a page's jobs are queued, queues in page order, and waits for the last", async () => {
    const events: string[] = [];
    let releaseFirst: (() => void) | undefined;
    // Page 1's queueing ends once page 2 is committed: read, mapped and committed meanwhile (before
    // the overlap, page 2 was read only after it, and this waited for good).
    const { parts, ledger, runId } = await freshRun(events, (page) => {
      if (page === 2) releaseFirst?.();
    });
    let pages = 0;
    const totals = await extractPipeline(parts, ledger, {
      runId,
      full: true,
      logger: createLogger({ level: 'silent' }),
      onPage: async (created: CreatedVersion[]) => {
        pages += 1;
        const page = pages;
        events.push(`queue ${page} (${created.length})`);
        if (page === 1)
          await new Promise<void>((resolve) => {
            releaseFirst = resolve;
          });
        events.push(`queued ${page}`);
      },
      onProgress: (p) => {
        events.push(`progress ${p.pages}`);
      },
    });
    expect(totals).toMatchObject({ pages: 3, read: 12 });
    expect(events.slice(0, 2)).toEqual(['commit 1', 'queue 1 (4)']);
    // Page 2 committed before page 1's jobs were queued.
    expect(events.indexOf('commit 2')).toBeLessThan(events.indexOf('queued 1'));
    // One page at a time: page 2's queueing and page 3's commit come after page 1's queueing ended.
    expect(events.indexOf('queue 2 (4)')).toBeGreaterThan(events.indexOf('progress 1'));
    expect(events.indexOf('commit 3')).toBeGreaterThan(events.indexOf('queued 1'));
    // Every page queued, in order, before the extraction returned.
    expect(events.filter((e) => e.startsWith('queued '))).toEqual(['queued 1', 'queued 2', 'queued 3']);
    expect(events.at(-1)).toBe('progress 3');
  });

  it("throws a page's failed queueing, reading no further than the page after", async () => {
    const events: string[] = [];
    const { parts, ledger, runId } = await freshRun(events);
    let pages = 0;
    const failed = extractPipeline(parts, ledger, {
      runId,
      full: true,
      logger: createLogger({ level: 'silent' }),
      onPage: async () => {
        pages += 1;
        events.push(`queue ${pages}`);
        if (pages === 1) throw new Error('redis: connection lost');
      },
    });
    await expect(failed).rejects.toThrow('redis: connection lost');
    expect(events).toEqual(['commit 1', 'queue 1', 'commit 2']);
  });
});
