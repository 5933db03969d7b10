/**
 * `licbridge run` stopped by SIGTERM (systemd stopping it, an operator's `kill`) in the middle of
 * its extraction. Ended by the signal, its process left the run `running` and the pipeline leased
 * until the lease ran out: a scheduled firing in those 30 s was skipped. Now it reads no further,
 * ends the run `abandoned`, lets the pipeline go and exits 143; the next run reads on from the
 * checkpoint and finishes the work, each row read once across the two. Needs the built CLI.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BIN, licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

describe('licbridge run stopped by SIGTERM mid-extraction', () => {
  let ws: DemoWorkspace;
  let ledger: Ledger;
  let configFile: string;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 200, seed: 5 });
    configFile = join(ws.dir, 'small-pages.yaml');
    // Small pages: the extraction takes many commits (40), so the signal comes while it still
    // reads: sent once the first page is in, it stops the run after that page or the next. Each
    // row the stopped run leaves is read, signed and delivered by the next run, most of the
    // file's work: 600 rows were three times as much, and checked nothing more.
    await writeFile(
      configFile,
      demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url }).replace(
        'pageSize: 100',
        'pageSize: 5',
      ),
    );
    ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
    await ws?.cleanup();
  });

  it('reads no further, ends the run abandoned, lets the pipeline go and exits 143; the next run resumes', async () => {
    const child = spawn(process.execPath, [BIN, 'run', '--all', '--json', '--config', configFile], {
      cwd: ws.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LICBRIDGE_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.once('close', (code, signal) => r({ code, signal })),
    );
    // The run's first pages are in the ledger: it is reading.
    const mine = ` ${child.pid}`;
    let runId: string | undefined;
    const end = Date.now() + 30_000;
    while (Date.now() < end && child.exitCode === null) {
      const run = (await ledger.runningRuns()).find((r) => r.owner?.endsWith(mine));
      if (run && run.read > 0) {
        runId = run.runId;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(runId, stderr).toBeDefined();
    child.kill('SIGTERM');
    const stopAsked = Date.now();
    // Twice the stop's whole bound (30 s when parts hang): a stop that waited on its reading or
    // its workers would still be running.
    const outcome = await Promise.race([
      ended,
      new Promise<'running'>((r) => setTimeout(() => r('running'), 60_000)),
    ]);
    if (outcome === 'running') child.kill('SIGKILL');
    // Not ended by the signal itself: it stopped, and said how.
    expect(outcome, stderr).toEqual({ code: 143, signal: null });
    const stopMs = Date.now() - stopAsked;
    if (process.env.LB_TEST_LOG) process.stderr.write(`stopped in ${stopMs} ms\n${stderr}\n`);
    expect(stderr).toContain('run: stopped by SIGTERM before its work was complete');
    expect(stderr).toContain(`${PIPELINE}: run ${runId} abandoned`);
    expect(stdout).toBe('');

    const stopped = await ledger.getRun(runId!);
    expect(stopped?.state).toBe('abandoned');
    expect(stopped?.error).toContain('stopped (SIGTERM)');
    // The pipeline is let go at once, not in 30 s: another host's scheduled firing may take it.
    expect(await ledger.pipelineLeases.holderOf(PIPELINE)).toBeNull();
    // It read no further: nothing more is counted in it once its process is gone.
    const rows = new Database(ws.legacyDb, { readonly: true });
    const total = (rows.prepare('select count(*) as n from T_SPXK_XKZ').get() as { n: number }).n;
    rows.close();
    if (process.env.LB_TEST_LOG) process.stderr.write(`read ${stopped!.read} of ${total}\n`);
    expect(stopped!.read).toBeLessThan(total);
    await new Promise((r) => setTimeout(r, 500));
    expect((await ledger.getRun(runId!))?.read).toBe(stopped!.read);

    // The next run reads on from the checkpoint and finishes what the stopped one left.
    const next = await licbridge(['run', '--all', '--json', '--config', configFile], {
      cwd: ws.dir,
      timeoutMs: 120_000,
    });
    expect(next.status, next.stderr).toBe(0);
    const [summary] = (JSON.parse(next.stdout) as { runs: { state: string; read: number }[] }).runs;
    expect(summary?.state).toBe('done');
    expect(stopped!.read + (summary?.read ?? 0)).toBe(total);
    expect(await ledger.pipelineBacklog(PIPELINE, '3702110000001', ['province'])).toEqual({
      unsigned: 0,
      undelivered: { province: 0 },
    });
    const versions = await ledger.versionPage({ afterVersionId: 0, limit: 100_000, pipeline: PIPELINE });
    expect(ws.simulator.stats().accepted).toBe(versions.length);
  }, 180_000);
});
