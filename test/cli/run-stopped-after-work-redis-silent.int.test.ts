/**
 * `licbridge run` stopped (SIGTERM) once its work was complete, while it emptied its queues, its
 * Redis having stopped answering (its connections open, no reply): the look at the queues waited
 * on Redis past the stop's bound (5 s), the stop left the run there (run-stop.ts), and the command
 * said `stopped by SIGTERM before its work was complete` — of runs the ledger already held `done`,
 * with no summary. It must say what docs/operations.md ("Stopping a run") says of a stop that
 * comes once the work is complete: the summary on stdout, `stopped by SIGTERM after its work was
 * complete` on stderr, exit 143. So too when any step after the work was found complete does not
 * hear the stop (here the emptying of the queues stands for it): the runs are done, none is
 * reported abandoned.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';

const PIPELINE = 'food-business-licenses';
let ws: DemoWorkspace | undefined;
let proxy: SilentProxy | undefined;
/** The SIGTERM listeners there were before the command started: not the command's. */
let before: ReadonlySet<unknown> = new Set();
let drains = 0;
/** `hears`: the real emptying of the queues; `deaf`: one that never ends, whatever the stop. */
let drain: 'hears' | 'deaf' = 'hears';

/** Stops the in-process command as a signal would: its own SIGTERM listeners, called once. */
function sendSigterm(): void {
  for (const l of process.listeners('SIGTERM')) {
    if (before.has(l)) continue;
    process.removeListener('SIGTERM', l);
    (l as (signal: string) => void)('SIGTERM');
  }
}

// The run's work is done and in the ledger when it empties its queues: Redis stops answering
// then, and the stop comes while the first look at the queues waits for its answer.
vi.mock('../../pipelines/drain-queues.js', async (original) => {
  const real = await original<typeof import('../../pipelines/drain-queues.js')>();
  return {
    ...real,
    drainQueues: (...args: Parameters<typeof real.drainQueues>) => {
      drains += 1;
      proxy?.silence();
      const drained = drain === 'hears' ? real.drainQueues(...args) : new Promise<boolean>(() => undefined);
      sendSigterm();
      return drained;
    },
  };
});

afterAll(async () => {
  await proxy?.close();
  await ws?.cleanup();
});

/** `licbridge run` of a fresh demo workspace whose Redis goes silent as its queues are emptied. */
async function stoppedAfterWork(): Promise<{ status: number | null; stdout: string; stderr: string }> {
  await proxy?.close();
  await ws?.cleanup();
  ws = await createDemoWorkspace({ rows: 10 });
  proxy = await silentProxy(6379);
  const text = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`));
  before = new Set(process.listeners('SIGTERM'));
  drains = 0;
  const out = await licbridge(['run', PIPELINE, '--config', ws.configFile], {
    cwd: ws.dir,
    timeoutMs: 80_000,
  });
  expect(drains).toBe(1);
  return out;
}

/** What a stop after the work was complete prints, as docs/operations.md has it. */
function saysWorkComplete(out: { status: number | null; stdout: string; stderr: string }): void {
  expect(out.stderr).not.toContain('before its work was complete');
  // Logged as the signal is heard: nor does it say runs are left to be resumed.
  expect(out.stderr).not.toContain('the runs are left for the next run to resume');
  expect(out.stderr).toContain('licbridge: run: stopped by SIGTERM after its work was complete');
  expect(out.stdout).toContain(PIPELINE);
  expect(out.status, out.stderr).toBe(143);
}

it('a run stopped after its work was complete, Redis silent, says its work was complete', async () => {
  drain = 'hears';
  const out = await stoppedAfterWork();
  saysWorkComplete(out);
  // Heard where it waited, not left there after the stop's bound.
  expect(out.stderr).toContain('run: stopped while emptying the queues');
}, 90_000);

it('says so too when a step after its work was complete does not hear the stop', async () => {
  drain = 'deaf';
  const out = await stoppedAfterWork();
  saysWorkComplete(out);
  const ledger = await openLedger(`sqlite://${join((ws as DemoWorkspace).dir, 'data', 'ledger.db')}`);
  try {
    expect((await ledger.lastRun(PIPELINE))?.state).toBe('done');
    expect(await ledger.runningRuns()).toEqual([]);
  } finally {
    await ledger.close();
  }
}, 90_000);
