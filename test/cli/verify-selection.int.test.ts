/**
 * `verify` answers for everything it was asked about: a license the ledger does not hold fails
 * the run even beside licenses that verify (it used to be reported only when none was found, so
 * `--license A B` with B mistyped printed ok and exited 0), and a `--pipeline` neither the config
 * nor the ledger knows is a usage error, not "0 versions, all verified".
 */
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

describe('verify, for what it was asked', () => {
  let ws: SignWorkspace;
  let known: string;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, 3);
    const signed = await runCli(['sign', 'backfill', '--json', '--config', ws.configFile]);
    expect(signed.status, signed.stderr).toBe(0);
    const db = new Database(ws.ledgerFile, { readonly: true });
    known = (db.prepare('select license_id from license_versions limit 1').get() as { license_id: string })
      .license_id;
    db.close();
  });
  afterAll(() => ws.cleanup());

  it('fails a license the ledger does not hold, also beside one that verifies', async () => {
    const missing = `${known.slice(0, -3)}ZZZ`;
    const alone = await runCli(['verify', '--license', known, '--json', '--config', ws.configFile]);
    expect(alone.status, alone.stderr).toBe(0);
    const both = await runCli(['verify', '--license', known, missing, '--json', '--config', ws.configFile]);
    const report = JSON.parse(both.stdout) as {
      ok: boolean;
      results: { licenseId: string; ok: boolean; reasons: string[] }[];
    };
    expect(report.ok).toBe(false);
    expect(both.status).toBe(1);
    expect(report.results.find((r) => r.licenseId === missing)).toMatchObject({
      ok: false,
      reasons: ['no such license in the ledger'],
    });
    expect(report.results.filter((r) => r.licenseId === known).every((r) => r.ok)).toBe(true);
  });

  it('writes one JSON report of every result, and none when the selection is refused', async () => {
    const r = await runCli(['verify', '--all', '--json', '--config', ws.configFile]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      versions: number;
      failures: unknown[];
      results: { ok: boolean }[];
    };
    expect(report).toMatchObject({ versions: 3, signatures: 3, failed: 0, ok: true, failures: [] });
    expect(report.results.map((x) => x.ok)).toEqual([true, true, true]);
    const refused = await runCli([
      'verify',
      '--all',
      '--json',
      '--pipeline',
      'nope',
      '--config',
      ws.configFile,
    ]);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
  });

  it('closes the JSON report it began when the run then fails: one document, ok false, the error code', async () => {
    // A store root that is a symlink to itself: searching it for unlisted files fails (ELOOP)
    // after every signature's result was written.
    const loop = join(ws.dir, 'store-loop');
    await symlink(loop, loop);
    const r = await runCli(['verify', '--all', '--json', '--store', loop, '--config', ws.configFile]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ELOOP');
    const report = JSON.parse(r.stdout) as { results: { ok: boolean }[]; ok: boolean; error: string };
    expect(report.results.map((x) => x.ok)).toEqual([true, true, true]);
    expect(report).toMatchObject({ ok: false, error: 'LB_INTERNAL' });
    expect(r.stdout.endsWith('}\n')).toBe(true);
  });

  it('refuses a pipeline neither the config nor the ledger knows', async () => {
    const r = await runCli([
      'verify',
      '--all',
      '--pipeline',
      'food-busines-licenses',
      '--config',
      ws.configFile,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('verify: no pipeline `food-busines-licenses` in the config or the ledger');
  });
});
