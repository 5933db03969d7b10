/**
 * `licbridge lifecycle run` whose Redis stops answering as the tick ends (each connection goes
 * silent once it sends QUIT, as BullMQ's close does): the command prints its summary and ends its
 * process with its exit code. Before, its workers, queues and connections were closed with no time
 * limit and it hung for good, summary unprinted; and, once they were bounded, the connections
 * still waiting on QUIT kept the process alive after the summary, until cli/linger.ts ended it.
 * Now they are dropped once their close is late, workers' as queues': the process ends by itself.
 * Needs the built CLI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINGER_MS } from '../../cli/linger.js';
import { licbridgeProcess } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';

describe('lifecycle run: Redis stops answering as the tick ends', () => {
  let ws: DemoWorkspace;
  let proxy: SilentProxy;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 2 });
    proxy = await silentProxy(6379, /\r\nquit\r\n/i);
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`));
  });
  afterAll(async () => {
    await proxy?.close();
    await ws?.cleanup();
  });

  it('prints its summary and ends its process', async () => {
    const res = await licbridgeProcess(
      ['lifecycle', 'run', '--today', '2026-01-05', '--json', '--config', ws.configFile],
      { cwd: ws.dir, env: { LICBRIDGE_LOG_LEVEL: 'warn' }, timeoutMs: 90_000 },
    );
    expect(proxy.silenced).toBeGreaterThan(0);
    // Hung, it is killed at the timeout: status null.
    expect(res.status, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as { today: string; pipelines: { runId: string | null }[] };
    expect(summary.today).toBe('2026-01-05');
    expect(summary.pipelines[0]?.runId).not.toBeNull();
    const said = res.stderr
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { msg: string; command?: string });
    expect(said.map((l) => l.msg)).not.toContain(
      `lifecycle run: finished, but connections or timers were still open ${LINGER_MS / 1000} s later; ending the process`,
    );
  }, 120_000);
});
