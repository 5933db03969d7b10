/**
 * `licbridge status` against a Redis that answers its reachability check and then stops
 * answering: each read has the probe's time, but the queues were then closed with BullMQ's QUIT,
 * which waits for an answer with no end, so a monitoring check running status never got its
 * report nor an exit status. The queues are now closed within the probe's time, else their
 * connections dropped.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { type SilentProxy, silentProxy } from '../support/silent-proxy.js';

describe('licbridge status: Redis stops answering after it was reached', () => {
  let ws: DemoWorkspace;
  let proxy: SilentProxy;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 1 });
    // `status` never migrates the ledger, and reads a pipeline's installed schedule only from a
    // ledger it could read: migrated here as a run would.
    const url = `sqlite://${join(ws.dir, 'data', 'ledger.db')}`;
    await (await openLedger(url, { logger: createLogger({ level: 'silent' }) })).close();
    // Silent on the schedulers' sorted sets (`<prefix>:<queue>:repeat`): the reachability check
    // and the queues' connecting pass, the read of what is installed is never answered, nor is
    // anything after it on that connection.
    proxy = await silentProxy(6379, /:repeat/);
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(
      ws.configFile,
      text
        .replace('redis://127.0.0.1:6379', `redis://127.0.0.1:${proxy.port}`)
        .replace('    pageSize: 100\n', '    pageSize: 100\n    schedule: "0 2 * * *"\n'),
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await ws?.cleanup();
  });

  it('ends with its report, the next run unconfirmed with why, exit 3', async () => {
    const r = await licbridge(
      ['status', '--no-sources', '--json', '--timeout', '2000', '--config', ws.configFile],
      {
        cwd: ws.dir,
        timeoutMs: 20_000,
      },
    );
    expect(proxy.silenced).toBeGreaterThan(0);
    expect(r.status, r.stderr).toBe(3);
    const report = JSON.parse(r.stdout) as {
      pipelines: { nextRun: { at: string | null; source: string; unread?: string } }[];
    };
    const next = report.pipelines[0]?.nextRun;
    expect(next?.source).toBe('config');
    expect(next?.unread).toBe('queues: installed schedules: no answer within 2000 ms');
  }, 40_000);
});
