/**
 * `licbridge worker` ends its process once it has stopped on SIGTERM, even when something it
 * opened stays open (cli/linger.ts), as `licbridge run` does: a connection left reconnecting
 * after a Redis outage, or a timer a library left behind, kept the process alive after it logged
 * `worker: stopped`, until a second signal or the supervisor's SIGKILL, and a restart waited for
 * it. A handle that never closes is stood in for by a timer loaded before the CLI (`--require`).
 * Needs the built CLI.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINGER_MS } from '../../cli/linger.js';
import { BIN } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describe('a stopped worker whose process holds a handle that never closes', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('ends its process after `worker: stopped`, exit 0, and says why', async () => {
    const preload = join(ws.dir, 'never-closes.cjs');
    await writeFile(preload, 'setInterval(() => {}, 60_000);\n');
    const child = spawn(process.execPath, [BIN, 'worker', '--config', ws.configFile], {
      cwd: ws.dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: `--require ${preload}`, LICBRIDGE_LOG_LEVEL: 'info' },
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // 'close', not 'exit': stderr is read to its end; a signal that ended it is named.
    const ended = new Promise<number | string | null>((r) =>
      child.once('close', (code, signal) => r(code ?? signal)),
    );
    const end = Date.now() + 30_000;
    while (!stderr.includes('worker: started') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toContain('worker: started');
    child.kill('SIGTERM');
    const code = await Promise.race([
      ended,
      new Promise<'running'>((r) => setTimeout(() => r('running'), LINGER_MS + 10_000)),
    ]);
    if (code === 'running') child.kill('SIGKILL');
    // Without the end it would still run: only a second signal or SIGKILL ended it.
    expect(code, stderr).toBe(0);
    const said = stderr
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; command?: string; openHandles?: string[] });
    expect(said.some((l) => l.msg === 'worker: stopped')).toBe(true);
    const lingering = said.find((l) => /still open .* ending the process/.test(l.msg));
    // Ended LINGER_MS after it finished, not at once: the handle still open then is named.
    expect(lingering?.msg).toBe(
      `worker: finished, but connections or timers were still open ${LINGER_MS / 1000} s later; ending the process`,
    );
    expect(lingering?.command).toBe('worker');
    expect(lingering?.openHandles).toContain('Timeout');
  }, 60_000);
});
