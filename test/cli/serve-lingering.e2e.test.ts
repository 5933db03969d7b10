/**
 * `licbridge serve` ends its process once it has stopped on SIGTERM, even when something it
 * opened stays open (cli/linger.ts), as `licbridge worker` does. With Redis away, its queue
 * connections went on reconnecting after `serve: stopped` was logged, and the process ran on
 * until a second signal or the supervisor's SIGKILL; a restart waited for it. A handle that never
 * closes is stood in for by a timer loaded before the CLI (`--require`). Needs the built CLI.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LINGER_MS } from '../../cli/linger.js';
import { BIN } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';
import { usageConfig } from '../support/usage-config.js';

const PREFIX = 'test-serve-lingering';
const made = usageConfig(PREFIX, 'licbridge-serve-lingering-');
// `serve` opens the queues of the config's prefix (their meta keys): nothing else removes them.
afterAll(() => obliterate(PREFIX));

describe('a stopped `serve` whose process holds a handle that never closes', () => {
  it('ends its process after `serve: stopped`, exit 0, and says why', async () => {
    const preload = join(made.dir, 'never-closes.cjs');
    await writeFile(preload, 'setInterval(() => {}, 60_000);\n');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config', made.file], {
      cwd: made.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: `--require ${preload}`, LICBRIDGE_LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const ended = new Promise<number | string | null>((r) =>
      child.once('close', (code, signal) => r(code ?? signal)),
    );
    const end = Date.now() + 30_000;
    while (!stdout.includes('licbridge serve: listening') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    expect(stdout, stderr).toContain('licbridge serve: listening');
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
    expect(said.some((l) => l.msg === 'serve: stopped')).toBe(true);
    const lingering = said.find((l) => /still open .* ending the process/.test(l.msg));
    expect(lingering?.msg).toBe(
      `serve: finished, but connections or timers were still open ${LINGER_MS / 1000} s later; ending the process`,
    );
    expect(lingering?.openHandles).toContain('Timeout');
  }, 60_000);
});
