/**
 * Two copies of one extract job at once: BullMQ hands a job whose lock ran out (its worker stalled,
 * not dead) to a second worker while the first still runs. Both read from the checkpoint and
 * committed pages into the one run: content hashes kept each version single, but a page both
 * committed was counted twice in the run's `read` and `unchanged`, and a full run's second copy
 * read the source from the start again, counting every page the first had committed a second
 * time. A page now commits only on top of the checkpoint it was read after, and a full run that
 * already counted pages goes on from its checkpoint: a copy that another has overtaken writes
 * nothing, and the run's counts are those of the source, once.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { ExtractOvertaken } from '../../ledger/commit-page-chain.js';
import type { Ledger } from '../../ledger/ledger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { overriding } from '../support/meanwhile.js';

const PIPELINE = 'food-business-licenses';
const ROWS = 60;
const PAGE = 10;

function signal(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
}

/** `ledger` whose commitPage runs `before(n)` ahead of its n-th commit and `after(n)` once it returned. */
function gated(
  ledger: Ledger,
  hooks: { before?: (n: number) => Promise<void>; after?: (n: number) => void },
): Ledger {
  let commits = 0;
  const commitPage = async (input: Parameters<Ledger['commitPage']>[0]) => {
    commits += 1;
    const n = commits;
    await hooks.before?.(n);
    const result = await ledger.commitPage(input);
    hooks.after?.(n);
    return result;
  };
  return overriding(ledger, { commitPage });
}

describe('two copies of one extract job working the same run', () => {
  let ws: DemoWorkspace | undefined;
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    await ws?.cleanup();
    runtime = undefined;
    ws = undefined;
  });

  async function setUp(mode: 'incremental' | 'full') {
    ws = await createDemoWorkspace({ rows: ROWS });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    runtime = new Runtime(config, createLogger({ level: 'silent' }));
    const opened = await runtime.pipeline(PIPELINE);
    const parts = { ...opened, config: { ...opened.config, pageSize: PAGE } };
    const ledger = await runtime.ledger();
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode });
    const rt = runtime;
    const extract = (l: Ledger) =>
      extractPipeline(parts, l, { runId, full: mode === 'full', onPage: async () => {}, logger: rt.logger });
    return { ledger, runId, extract };
  }

  it('refuses the page of the copy that read it after the other committed one: it writes nothing', async () => {
    const { ledger, runId, extract } = await setUp('incremental');
    const aAtThird = signal();
    const bReady = signal();
    const aCommittedThird = signal();
    // A commits two pages, then waits before its third until B has read that same page.
    const a = extract(
      gated(ledger, {
        before: async (n) => {
          if (n !== 3) return;
          aAtThird.open();
          await bReady.wait;
        },
        after: (n) => {
          if (n === 3) aCommittedThird.open();
        },
      }),
    );
    await aAtThird.wait;
    // B starts from the checkpoint A's second page left, reads the third page, and commits it
    // once A has committed it.
    let bCommitted = 0;
    const b = extract(
      gated(ledger, {
        before: async () => {
          bReady.open();
          await aCommittedThird.wait;
        },
        after: () => {
          bCommitted += 1;
        },
      }),
    );
    const [aTotals, bOutcome] = await Promise.all([
      a,
      b.then(
        () => 'finished',
        (e: unknown) => e,
      ),
    ]);

    expect(bOutcome).toBeInstanceOf(ExtractOvertaken);
    expect(bCommitted).toBe(0);
    expect(aTotals.read).toBe(ROWS);
    const run = await ledger.getRun(runId);
    // Every row once: a version or a quarantined row (the demo's rows include some that do not map).
    expect(run).toMatchObject({ read: ROWS, unchanged: 0 });
    expect((run?.created ?? 0) + (run?.quarantined ?? 0)).toBe(ROWS);
    expect(await ledger.runVersionIds(runId)).toHaveLength(run?.created ?? -1);
  }, 60_000);

  it("a full run's second copy goes on from the run's checkpoint; the first, overtaken, stops", async () => {
    const { ledger, runId, extract } = await setUp('full');
    const aAtThird = signal();
    const bCommittedThird = signal();
    let aCommitted = 0;
    const a = extract(
      gated(ledger, {
        before: async (n) => {
          if (n !== 3) return;
          aAtThird.open();
          await bCommittedThird.wait;
        },
        after: () => {
          aCommitted += 1;
        },
      }),
    );
    await aAtThird.wait;
    const b = extract(
      gated(ledger, {
        after: (n) => {
          if (n === 1) bCommittedThird.open();
        },
      }),
    );
    const [aOutcome, bTotals] = await Promise.all([
      a.then(
        () => 'finished',
        (e: unknown) => e,
      ),
      b,
    ]);

    expect(aOutcome).toBeInstanceOf(ExtractOvertaken);
    expect(aCommitted).toBe(2);
    // B read the four pages after A's two, not the six again.
    expect(bTotals.read).toBe(ROWS - 2 * PAGE);
    const run = await ledger.getRun(runId);
    expect(run).toMatchObject({ read: ROWS, unchanged: 0 });
    expect((run?.created ?? 0) + (run?.quarantined ?? 0)).toBe(ROWS);
  }, 60_000);
});
