/**
 * `licbridge schedule` against a Redis that answers its reachability check and then stops
 * answering: installing a schedule waited for an answer with no end, so a deploy script running it
 * never got an exit status. The install is now bounded (`queue.connectTimeoutMs` a step): it fails,
 * naming Redis, and its connections are dropped.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';

describe('licbridge schedule: Redis stops answering after it was reached', () => {
  let ws: DemoWorkspace;
  let proxy: SilentProxy;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    // Silent on the schedulers' sorted sets (`<prefix>:<queue>:repeat`): the reachability check
    // and the queues' connecting pass, installing a schedule is never answered.
    proxy = await silentProxy(6379, /:repeat/);
    // Each step of the install is bounded by `queue.connectTimeoutMs`: the demo's 3 s a step made
    // the bound ~18 s to wait out; 1 s a step bounds it the same way in a third of the time.
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      text
        .replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`)
        .replace('connectTimeoutMs: 3000', 'connectTimeoutMs: 1000'),
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await ws?.cleanup();
  });

  it('ends with an error naming Redis, its connections closed', async () => {
    const r = await licbridge(['schedule', '--config', ws.configFile], { cwd: ws.dir, timeoutMs: 90_000 });
    expect(proxy.silenced).toBeGreaterThan(0);
    // Hung, or finished with a connection left open, it comes back with a null status.
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /schedule: Redis stopped answering while the schedules were installed \(no answer within \d+ ms\); run `licbridge schedule` again once Redis answers/,
    );
  }, 120_000);
});
