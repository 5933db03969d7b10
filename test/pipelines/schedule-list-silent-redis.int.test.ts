/**
 * `licbridge schedule --list` against a Redis that answers its reachability check and then stops
 * answering: the read of the installed schedulers waited for an answer with no end, and so did the
 * close of its queues (BullMQ's QUIT), so a monitoring check running it never got an exit status.
 * It now lists each schedule as unknown, with why, within the probe's time, exits 3 (a person must
 * look), and drops the connections it could not close.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';

describe('licbridge schedule --list: Redis stops answering after it was reached', () => {
  let ws: DemoWorkspace;
  let proxy: SilentProxy;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    // Silent on the schedulers' sorted sets (`<prefix>:<queue>:repeat`): the reachability check
    // and the queues' connecting pass, the read of what is installed is never answered.
    proxy = await silentProxy(6379, /:repeat/);
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, text.replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`));
  });
  afterAll(async () => {
    await proxy?.close();
    await ws?.cleanup();
  });

  it('ends, listing the schedules as unknown with why, exit 3', async () => {
    const listed = await licbridge(['schedule', '--list', '--json', '--config', ws.configFile], {
      cwd: ws.dir,
      timeoutMs: 20_000,
    });
    expect(proxy.silenced).toBeGreaterThan(0);
    expect(listed.status).toBe(3);
    const list = JSON.parse(listed.stdout) as { id: string; queue: string; problem?: string }[];
    const tick = list.find((s) => s.id === 'lifecycle-tick');
    expect(tick?.problem).toBe(
      'whether `lifecycle.schedule` is installed is unknown: the installed schedules could not be read (queues: installed schedules of `lifecycle`: no answer within 5000 ms); run `licbridge schedule --list` again once Redis answers',
    );
    expect(list.every((s) => s.problem?.startsWith('whether '))).toBe(true);
  }, 40_000);
});
