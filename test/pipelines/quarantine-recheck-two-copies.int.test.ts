/**
 * Two copies of a run's extraction (a stalled BullMQ job handed on) both reach the re-read page.
 * Its checkpoint is the one it follows, so the chain alone let both commit: the copy that read
 * first committed last, and its older content landed as a newer version. The re-read's rotation
 * state moves in the page's commit, compared and set: the second copy's page is refused and that
 * copy skips its re-read quietly. What a copy saw (a new mapping context) is kept by the same
 * compare-and-set before the read: a plain write there put back the entry another copy had moved,
 * and both copies committed.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { BACKENDS } from '../ledger/backends.js';
import { meanwhile, overriding } from '../support/meanwhile.js';
import { duplicated, PIPELINE, silent, workspacesPerTest } from './quarantine-recheck-fixture.js';

function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
}

describe.each(BACKENDS)('two copies of a run at the re-read page ($name)', (backend) => {
  // Registered first: its afterEach runs last, once the runtime on the workspace is closed.
  const workspaces = workspacesPerTest();
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  /**
   * What both cases start from: a key held twice, run once, then fixed aside (row 2 deleted, row 1
   * named 'OLD NAME' behind the checkpoint); a runtime on it, a run id for the copies, and
   * `counting(name, before)`, the ledger whose page commits are noted in `committed` after `before`.
   */
  async function copiesOfARun() {
    const made = await duplicated(backend);
    const ws = workspaces.keep(made.ws);
    await runPipelines(made.config, { pipelines: [PIPELINE], full: false, logger: silent });
    const fix = new Database(ws.legacyDb);
    fix.prepare('DELETE FROM T_SPXK_XKZ WHERE ID = 2').run();
    fix.prepare("UPDATE T_SPXK_XKZ SET JYZMC = 'OLD NAME' WHERE ID = 1").run();
    fix.close();

    runtime = new Runtime(made.config, silent);
    const parts = await runtime.pipeline(PIPELINE);
    const ledger = await runtime.ledger();
    const runId = randomUUID();
    const committed: string[] = [];
    const counting = (name: string, before?: () => Promise<void>): Ledger =>
      overriding(ledger, {
        commitPage: async (input: Parameters<Ledger['commitPage']>[0]) => {
          await before?.();
          const r = await ledger.commitPage(input);
          committed.push(`${name}: read ${input.rowsRead} created ${r.created.length}`);
          return r;
        },
      });
    const extract = (l: Ledger) =>
      extractPipeline(parts, l, { runId, full: false, onPage: async () => {}, logger: silent });
    return { made, legacy: ws.legacyDb, parts, ledger, runId, committed, counting, extract };
  }

  it('commits one copy’s page; the other copy skips its re-read and the newer content stays', async () => {
    const { made, legacy, ledger, runId, committed, counting, extract } = await copiesOfARun();
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
    const aRead = gate();
    const bDone = gate();
    // A read the row as 'OLD NAME'; the department changes it with its cursor behind the
    // checkpoint (a late commit), and B reads and commits before A commits.
    const a = extract(
      counting('A', async () => {
        const d = new Database(legacy);
        d.prepare("UPDATE T_SPXK_XKZ SET JYZMC = 'NEW NAME' WHERE ID = 1").run();
        d.close();
        aRead.open();
        await bDone.wait;
      }),
    );
    await aRead.wait;
    const b = await extract(counting('B'));
    bDone.open();
    const aTotals = await a;
    expect(committed).toEqual(['B: read 1 created 1']);
    expect(b.read).toBe(1);
    expect(aTotals.read).toBe(0);
    const license = (await ledger.pipelineLicenses(PIPELINE)).find((l) => l.sourceKey === made.key);
    const [latest] = await ledger.getVersions(license ? [license.versionId] : []);
    expect(latest?.version).toBe(1);
    expect(JSON.stringify(latest?.payload)).toContain('NEW NAME');
  }, 120_000);
  it('after a mapping change, a copy that finds the entry moved skips; one commit, the count goes on', async () => {
    const { made, legacy, parts, ledger, runId, committed, counting, extract } = await copiesOfARun();
    const source = parts.config.source;
    const entry = async () =>
      (await ledger.stateEntries(source, 'quarantine-recheck')).find((e) => e.key === PIPELINE)?.value;
    // A deploy since the entry was kept: each copy sees a new context and keeps it before its read.
    const before = JSON.parse((await entry()) ?? '{"v":1}') as { n?: number };
    await ledger.putStateEntry(
      source,
      'quarantine-recheck',
      PIPELINE,
      JSON.stringify({ ...before, ctx: 'an older mapping' }),
    );
    await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
    // A has read the entry and the worklist; B runs whole; the row changes; A goes on.
    const aLedger = meanwhile(counting('A'), 'openQuarantine', async () => {
      await extract(counting('B'));
      const d = new Database(legacy);
      d.prepare("UPDATE T_SPXK_XKZ SET JYZMC = 'NEWER NAME' WHERE ID = 1").run();
      d.close();
    });
    const aTotals = await extract(aLedger);
    expect(committed).toEqual(['B: read 1 created 1']);
    expect(aTotals.read).toBe(0);
    const license = (await ledger.pipelineLicenses(PIPELINE)).find((l) => l.sourceKey === made.key);
    const [latest] = await ledger.getVersions(license ? [license.versionId] : []);
    expect(latest?.version).toBe(1);
    expect(JSON.parse((await entry()) ?? '{}').n).toBe((before.n ?? 0) + 1);
  }, 120_000);
});
