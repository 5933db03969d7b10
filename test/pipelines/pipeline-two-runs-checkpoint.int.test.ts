/**
 * Two runs of one pipeline extracting at once (a schedule firing while the last run still reads, a
 * `licbridge run` beside a scheduled one), on both ledger backends. Run A commits two pages and
 * stalls; run B starts from A's checkpoint and reads the rest; then A goes on. Each page commits
 * only on top of the checkpoint it was read after, whichever run wrote it: A's next page, read
 * after a checkpoint B has moved past, is refused and A stops reading, leaving the rest to B.
 * Before, A committed it: the checkpoint went back from row 60 to row 30, and A read rows 21–60 a
 * second time (100 rows read for a source of 60).
 */
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { BACKENDS, type TestDatabase } from '../ledger/backends.js';
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

describe.each(BACKENDS)('two runs of one pipeline extracting at once ($name)', (backend) => {
  let ws: DemoWorkspace | undefined;
  let runtime: Runtime | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await runtime?.close();
    await ws?.cleanup();
    await database?.dispose();
    runtime = undefined;
    ws = undefined;
    database = undefined;
  });

  it('never moves the checkpoint back and reads each row in one run only', async () => {
    ws = await createDemoWorkspace({ rows: ROWS });
    database = await backend.create();
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, text.replace('sqlite://./data/ledger.db', database.url));
    const config = await loadConfig({ file: ws.configFile, env: {} });
    runtime = new Runtime(config, createLogger({ level: 'silent' }));
    const opened = await runtime.pipeline(PIPELINE);
    const parts = { ...opened, config: { ...opened.config, pageSize: PAGE } };
    const ledger = await runtime.ledger();
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    await ledger.startRun({ runId: a, pipeline: PIPELINE, mode: 'incremental' });
    await ledger.startRun({ runId: b, pipeline: PIPELINE, mode: 'incremental' });

    // The pipeline's checkpoint after every commit, as (cursor, key), in the order written.
    const positions: string[] = [];
    const noted = async () => {
      const stored = await ledger.getCheckpoint(PIPELINE);
      if (stored === null) return;
      const p = decodeKeyPosition(stored, 'market-food');
      positions.push(`${p.cursor ?? ''}\u0000${p.key.padStart(12, '0')}`);
    };
    const aAtThird = signal();
    const bDone = signal();
    let aCommits = 0;
    const aLedger = overriding(ledger, {
      commitPage: async (input: Parameters<Ledger['commitPage']>[0]) => {
        aCommits += 1;
        if (aCommits === 3) {
          // A has read its third page; B runs meanwhile.
          aAtThird.open();
          await bDone.wait;
        }
        const out = await ledger.commitPage(input);
        await noted();
        return out;
      },
    });
    const bLedger = overriding(ledger, {
      commitPage: async (input: Parameters<Ledger['commitPage']>[0]) => {
        const out = await ledger.commitPage(input);
        await noted();
        return out;
      },
    });
    const extract = (l: Ledger, runId: string) =>
      extractPipeline(parts, l, { runId, full: false, onPage: async () => {}, logger: runtime!.logger });

    const aDone = extract(aLedger, a).then(
      (totals) => totals,
      (e: unknown) => e,
    );
    await aAtThird.wait;
    const bTotals = await extract(bLedger, b);
    bDone.open();
    await aDone;

    const [runA, runB] = [await ledger.getRun(a), await ledger.getRun(b)];
    expect(bTotals.read).toBe(ROWS - 2 * PAGE);
    // Every row of the source read in one run only: A its first two pages, B the rest.
    expect((runA?.read ?? 0) + (runB?.read ?? 0)).toBe(ROWS);
    expect(runA?.read).toBe(2 * PAGE);
    // The checkpoint never went back.
    expect(positions).toEqual([...positions].sort());
    // And B's last page, the end of the source, is where the pipeline stands.
    expect(positions).toHaveLength(ROWS / PAGE);
  }, 90_000);
});
