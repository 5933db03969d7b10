// `licbridge sign files` killed with SIGKILL in the middle of a batch — its temporary files
// written and flushed, none renamed — leaves whole sealed licenses as temporary files in the store;
// the next run removes them under the store's lock, says how many without naming them, and issues
// every version once.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge, licbridgeProcess } from '../support/cli.js';

const N = 25;
const PAGE = 10;

const named = (root: string, end: string): string[] =>
  (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(end)).sort();

describe('sign files killed mid-batch', () => {
  let ws: FileWorkspace;
  beforeAll(async () => {
    ws = await fileWorkspace(N, 0);
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('the next run removes the batch temporary files, counted, and issues every version once', async () => {
    const args = ['sign', 'files', '--seal', 'district-seal', '--page-size', String(PAGE), '--json'];
    const config = ['-c', join(ws.dir, 'licbridge.yaml')];
    // The second page's batch: the first page is placed and recorded, the second only flushed.
    const killed = await licbridgeProcess([...args, ...config], {
      env: { LICBRIDGE_TEST_CRASH_AT: 'files-batch-flushed:2' },
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const left = named(ws.store, '.tmp');
    expect(left).toHaveLength(PAGE);
    for (const f of left) expect(statSync(join(ws.store, f)).mode & 0o777).toBe(0o600);
    expect(await ws.ledger.licenseFiles.list({})).toHaveLength(PAGE);

    // The next run need not be a process of its own: in this one it costs a fraction of a spawn.
    const rerun = await licbridge([...args, ...config]);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ issued: N - PAGE, leftoversRemoved: PAGE });
    expect(named(ws.store, '.tmp')).toEqual([]);
    const said = rerun.stderr.split('\n').filter((l) => l.includes('temporary file'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(
      `removed ${PAGE} temporary file(s) left in the file store by an issuing run killed mid-batch`,
    );
    expect(said[0]).not.toContain('.ofd');
    const rows = await ws.ledger.licenseFiles.list({});
    expect(named(ws.store, '.ofd')).toEqual(rows.map((r) => r.path).sort());
    expect(rows).toHaveLength(N);
  }, 120_000);
});
