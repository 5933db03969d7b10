/**
 * `reconcile --html` writes its report owner-only from the first byte, as `quarantine export`
 * writes its worklist. A report already there with a wider mode (0644) was written into and
 * narrowed afterwards: whoever had opened it kept reading the new report, which names licenses and
 * their holders' records, through that open file after the chmod.
 */
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describe('reconcile --html over a report open to others', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 6, seed: 11 });
    const run = await licbridge(['run', '--all', '--config', ws.configFile], { cwd: ws.dir });
    expect(run.status, run.stderr).toBe(0);
  });
  afterAll(async () => ws?.cleanup());

  it('never writes the report into the file already there', async () => {
    const report = join(ws.dir, 'report.html');
    await writeFile(report, 'old report\n', { mode: 0o644 });
    // Opened while the file was readable by all, as another account could.
    const reader = await open(report, 'r');
    try {
      const rec = await licbridge(
        ['reconcile', 'food-business-licenses', '--html', report, '--config', ws.configFile],
        { cwd: ws.dir },
      );
      expect(rec.stdout).toContain(`HTML report: ${report}`);
      expect((await reader.readFile()).toString('utf8')).toBe('old report\n');
    } finally {
      await reader.close();
    }
    expect((await stat(report)).mode & 0o777).toBe(0o600);
    expect(await readFile(report, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  });

  it('a report it cannot write names the file and why', async () => {
    const report = join(ws.dir, 'no-such-folder-file');
    await writeFile(report, 'a file where a folder is named\n');
    const rec = await licbridge(
      [
        'reconcile',
        'food-business-licenses',
        '--html',
        join(report, 'report.html'),
        '--config',
        ws.configFile,
      ],
      { cwd: ws.dir },
    );
    expect(rec.status).not.toBe(0);
    expect(rec.stderr).toContain(
      `reconcile: cannot write ${join(report, 'report.html')}: a part of its path is a file, not a folder`,
    );
  });
});
