/**
 * `sign files` stopped by SIGTERM or SIGINT finishes the page in flight and says `stopped, rerun to
 * continue`, yet it exited 0 (or 3), so a script or systemd went on as if every version had its
 * file. `sign backfill` and `sign resign` exit with the signal's code (130 or 143), as `run` does;
 * `sign files` now does too. The signal is delivered to the command's own listeners only (the
 * command runs in this process), after its first page.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';

describe('sign files: stopped by a signal', () => {
  let ws: FileWorkspace;
  beforeAll(async () => {
    ws = await fileWorkspace(3, 0);
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('exits with the signal code after the page in flight', async () => {
    const before = new Set(process.listeners('SIGTERM'));
    let sent = false;
    const r = await licbridge(
      ['sign', 'files', '--seal', 'district-seal', '--page-size', '1', '-c', join(ws.dir, 'licbridge.yaml')],
      {
        onStderr: (text) => {
          if (sent || !text.includes('file(s) issued')) return;
          sent = true;
          for (const l of process.listeners('SIGTERM')) if (!before.has(l)) l('SIGTERM');
        },
      },
    );
    expect(sent).toBe(true);
    expect(r.stdout).toContain('; stopped, rerun to continue\n');
    expect((await ws.ledger.licenseFiles.list({})).length).toBeLessThan(3);
    expect(r.status, r.stderr).toBe(143);
  });
});
