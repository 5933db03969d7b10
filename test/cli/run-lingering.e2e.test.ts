/**
 * `licbridge run` ends its process once its work is done and its summary written, even when
 * something it opened stays open (cli/linger.ts): after a Redis outage a BullMQ worker may never
 * close, and a scheduled run that never exits has the next one start beside it. A handle that
 * never closes is stood in for by a timer loaded before the CLI (`--require`). Needs the built CLI.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINGER_MS } from '../../cli/linger.js';
import { licbridgeProcess } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describe('a finished run whose process holds a handle that never closes', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('ends its process after the summary, with its exit code, and says why', async () => {
    const preload = join(ws.dir, 'never-closes.cjs');
    await writeFile(preload, 'setInterval(() => {}, 60_000);\n');
    const res = await licbridgeProcess(['run', '--all', '--json', '--config', ws.configFile], {
      env: { NODE_OPTIONS: `--require ${preload}`, LICBRIDGE_LOG_LEVEL: 'warn' },
      timeoutMs: 45_000,
    });
    // Without the end it would be killed at the timeout: status null.
    expect(res.status, res.stderr).toBe(0);
    const [summary] = (JSON.parse(res.stdout) as { runs: { state: string; created: number }[] }).runs;
    expect(summary?.state).toBe('done');
    expect(summary?.created).toBeGreaterThan(0);
    const said = res.stderr
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { msg: string; command?: string; openHandles?: string[] });
    const lingering = said.find((l) => /still open .* ending the process/.test(l.msg));
    // Ended LINGER_MS after it finished, not at once: the handle still open then is named.
    expect(lingering?.msg).toBe(
      `run: finished, but connections or timers were still open ${LINGER_MS / 1000} s later; ending the process`,
    );
    expect(lingering?.command).toBe('run');
    expect(lingering?.openHandles).toContain('Timeout');
  }, 60_000);
});
