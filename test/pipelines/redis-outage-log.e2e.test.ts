/**
 * Redis going away during `licbridge run` is logged, not dumped: every queue, worker and
 * connection `run` builds has an `error` listener, so each event is one JSON log line on stderr
 * (no multi-line stack traces from an unhandled `error` event), and the run still completes once
 * Redis is back. Uses a `redis-server` of this test's own (the shared one is never touched).
 * Needs the built CLI.
 *
 * The run's end is awaited from the moment it is spawned, and within the test's own deadline: a
 * run that exits early (a crash during the outage) or never ends fails with its log, instead of
 * leaving the test waiting for an exit that already happened or never comes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BIN } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { type LoneRedis, startLoneRedis } from '../support/redis-servers.js';

/** How long the run may take: the test's 120 s, less a margin to report on a run that hangs. */
const RUN_BUDGET_MS = 110_000;

const exited = (p: ChildProcess) =>
  new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));

describe('Redis stopped during a run', () => {
  let ws: DemoWorkspace;
  let redis: LoneRedis | undefined;
  let run: ChildProcess | undefined;
  let ledger: Ledger;
  let slow: ProvinceSimulator;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 200 });
    // A province that answers each batch after 500 ms: the run lasts seconds whatever the
    // machine's speed (each page's job sends its batches one after another), so the outage below
    // falls inside it. Batches of 20, five a page: once Redis is back the pages go out in about
    // 2.5 s rather than 5 s.
    slow = await startProvinceSimulator({ faults: { latencyMs: 500 } });
    ledger = await openLedger(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  });
  afterAll(async () => {
    // A run still going (the test failed) must not outlive it, holding the ledger and the port.
    if (run && run.exitCode === null && run.signalCode === null) {
      run.kill('SIGKILL');
      await exited(run);
    }
    await slow?.close();
    await redis?.stop();
    await ledger?.close();
    await ws?.cleanup();
  });

  it('logs each connection error as one JSON line and still completes the run', async () => {
    const deadline = Date.now() + RUN_BUDGET_MS;
    redis = await startLoneRedis();
    const { port } = redis;
    const file = join(ws.dir, 'own-redis.yaml');
    await writeFile(
      file,
      demoConfigYaml({
        prefix: ws.prefix,
        simulatorUrl: slow.url,
        redis: `redis://127.0.0.1:${port}`,
      })
        .replace(
          'connectTimeoutMs: 3000 }',
          'connectTimeoutMs: 3000, lockDurationMs: 2000, stalledIntervalMs: 500 }',
        )
        .replace('    kind: rest-json\n', '    kind: rest-json\n    batchSize: 20\n'),
    );
    const child = spawn(process.execPath, [BIN, 'run', '--all', '--json', '--config', file], {
      env: { ...process.env, LICBRIDGE_LOG_LEVEL: 'warn' },
    });
    run = child;
    // Listened for at once: 'close' fires once, and a run that ends early must not be missed.
    let ended = false;
    const closed = new Promise<number | null>((r) =>
      child.once('close', (c) => {
        ended = true;
        r(c);
      }),
    );
    let stderr = '';
    let stdout = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    // Once the run is under way, Redis goes away for three seconds and comes back empty.
    const end = Date.now() + 60_000;
    let started = false;
    while (!ended && !started && Date.now() < end) {
      started = (await ledger.runningRuns()).length > 0;
      if (!started) await new Promise((r) => setTimeout(r, 20));
    }
    expect(started, `no run started within 60 s; its log:\n${stderr}`).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    // The outage must fall inside the run, or this test checks nothing about it.
    expect(ended, `the run ended before Redis was stopped:\n${stderr}`).toBe(false);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 3000));
    redis = await startLoneRedis({ port });
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      closed,
      new Promise<'late'>((r) => {
        timer = setTimeout(() => r('late'), Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    if (code === 'late') {
      const runs = await ledger.runningRuns();
      expect.fail(
        `the run had not ended ${RUN_BUDGET_MS / 1000} s into the test; ` +
          `runs still running: ${JSON.stringify(runs)}; its log:\n${stderr.split('\n').slice(-60).join('\n')}`,
      );
    }

    expect(code, stderr).toBe(0);
    const [summary] = (
      JSON.parse(stdout) as {
        runs: { state: string; created: number; delivered: Record<string, number> }[];
      }
    ).runs;
    expect(summary?.state).toBe('done');
    expect(summary?.delivered.province).toBe(summary?.created);
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    // Redis was away: that was said, in log lines.
    expect(lines.some((l) => /ECONNREFUSED|Connection is closed|connect/i.test(l))).toBe(true);
    for (const line of lines) {
      expect(() => JSON.parse(line), `not one log line: ${line.slice(0, 200)}`).not.toThrow();
    }
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 120_000);
});
