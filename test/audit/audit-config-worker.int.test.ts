/**
 * A `licbridge worker` (scheduled runs, queued jobs: nobody at the terminal) records the
 * configuration it starts with as the operator who started it, and a worker started again with
 * the same configuration records nothing. The worker runs in this process (the command as
 * `licbridge worker` runs it) and is stopped as SIGTERM stops it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const quiet = createLogger({ level: 'silent' });

/** Starts the worker, waits until it waits for its signal, and stops it as SIGTERM does. */
async function startAndStop(ws: DemoWorkspace): Promise<number | null> {
  const before = new Set(process.listeners('SIGTERM'));
  const beforeInt = new Set(process.listeners('SIGINT'));
  const worker = licbridge(['worker', '--config', ws.configFile, '--stages', 'sign'], {
    cwd: ws.dir,
    env: { LICBRIDGE_ACTOR: 'svc-licbridge', LICBRIDGE_LOG_LEVEL: 'silent' },
    timeoutMs: 60_000,
  });
  for (let i = 0; i < 400 && process.listeners('SIGTERM').every((l) => before.has(l)); i++) await sleep(50);
  for (const l of process.listeners('SIGTERM')) {
    if (before.has(l)) continue;
    process.removeListener('SIGTERM', l);
    (l as (signal: string) => void)('SIGTERM');
  }
  const result = await worker;
  for (const l of process.listeners('SIGINT')) if (!beforeInt.has(l)) process.removeListener('SIGINT', l);
  return result.status;
}

describe('licbridge worker records its configuration', () => {
  let ws: DemoWorkspace;
  let ledger: Ledger;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 3 });
  }, 60_000);
  afterAll(async () => {
    await ledger?.close();
    await ws?.cleanup();
  });

  it('once, as the operator who started it', async () => {
    expect(await startAndStop(ws)).toBe(0);
    expect(await startAndStop(ws)).toBe(0);
    const config = await loadConfig({ file: ws.configFile, env: {} });
    ledger = await openLedger(config.ledger.url, { logger: quiet, migrate: false });
    const entries = await ledger.configChanges.list();
    expect(entries.map((e) => [e.action, e.actor])).toEqual([['config', 'operator:svc-licbridge']]);
    expect(await ledger.verifyAudit()).toMatchObject({ ok: true, entries: 1 });
  }, 120_000);
});
