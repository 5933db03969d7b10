/**
 * `verify --all` reports on a ledger that may have been written by anyone who can write it: what a
 * result quotes from its rows (a signature's seal id) reaches the terminal on one line with no
 * escape sequence, as a sealed file's findings do, so a changed row cannot forge an `ok` line of
 * its own or erase the `FAIL` before it.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

describe('verify text output of what the ledger holds', () => {
  let ws: SignWorkspace;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, 1);
    const signed = await runCli(['sign', 'backfill', '--json', '--config', ws.configFile]);
    expect(signed.status, signed.stderr).toBe(0);
  });
  afterAll(() => ws.cleanup());

  it('keeps a seal id with a line break and escape sequences on its own FAIL line', async () => {
    const db = new Database(ws.ledgerFile);
    db.prepare('update signatures set seal_id = ?').run(
      'x\u001b[2K\rok   FORGED v1 (seal seal-1): key 0000000000000000 (signer district)\nok   FORGED v2',
    );
    db.close();
    const r = await runCli(['verify', '--all', '--config', ws.configFile]);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\r');
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('ok '))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('FAIL ')).length).toBe(1);
  });
});
