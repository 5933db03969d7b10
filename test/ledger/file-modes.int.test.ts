import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

/**
 * The files that hold license data — the SQLite ledger with its -wal and -shm files, the
 * simulator's state file, HTML reconciliation reports — are owner-only after a real run, with the
 * usual umask 022 that would otherwise leave them readable by every local user.
 */
describe('files holding license data are owner-only', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    // The usual umask, spelled out whatever the runner's own is: without care it leaves new files 0644.
    process.umask(0o022);
    ws = await createDemoWorkspace({ rows: 30, seed: 4 });
  });
  afterAll(async () => ws?.cleanup());

  it('after a run and a reconcile --html through the command line', async () => {
    const report = join(ws.dir, 'report.html');
    const run = await licbridge(['run', '--all', '--config', ws.configFile], { cwd: ws.dir });
    expect(run.status, run.stderr).toBe(0);
    const rec = await licbridge(
      ['reconcile', 'food-business-licenses', '--html', report, '--config', ws.configFile],
      { cwd: ws.dir },
    );
    expect(rec.stderr).not.toMatch(/unexpected/);
    await ws.simulator.close();
    expect(mode(join(ws.dir, 'data', 'ledger.db'))).toBe('600');
    expect(mode(report)).toBe('600');
    expect(mode(join(ws.dir, 'data', 'sim.json'))).toBe('600');
  });

  it('for a new ledger in folders it creates, with its WAL and shared-memory files', async () => {
    const dir = join(ws.dir, 'fresh', 'nested');
    const file = join(dir, 'ledger.db');
    const ledger = await openLedger(`sqlite://${file}`);
    try {
      await ledger.getCheckpoint('any');
      expect(mode(file)).toBe('600');
      expect(mode(`${file}-wal`)).toBe('600');
      expect(mode(`${file}-shm`)).toBe('600');
      expect(mode(dir)).toBe('700');
      expect(mode(join(ws.dir, 'fresh'))).toBe('700');
    } finally {
      await ledger.close();
    }
  });
});
