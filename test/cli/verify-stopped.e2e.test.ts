/**
 * `verify --all --json` stopped by a signal once its `results` are being written still leaves one
 * JSON document on stdout, `ok` false and the signal named, and exits with the signal's code
 * (143 for SIGTERM), so `verify --all --json > report.json && …` neither goes on nor leaves a
 * file no JSON reader opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

const COUNT = 3000;

describe('verify --all --json stopped by a signal', () => {
  let ws: SignWorkspace;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
    const signed = await runCli(['sign', 'backfill', '--json', '--config', ws.configFile]);
    expect(signed.status, signed.stderr).toBe(0);
  }, 120_000);
  afterAll(() => ws.cleanup());

  it('closes the report it began and exits with the signal’s code', async () => {
    const stopped = await runCli(['verify', '--all', '--json', '--config', ws.configFile], (child) => {
      // The first result written is the cue: the report is open when the signal comes.
      child.stdout?.once('data', () => child.kill('SIGTERM'));
    });
    expect(stopped.signal, stopped.stderr).toBeNull();
    expect(stopped.status, stopped.stderr).toBe(143);
    const report = JSON.parse(stopped.stdout) as { results: unknown[]; ok: boolean; stopped: string };
    expect(report).toMatchObject({ ok: false, stopped: 'SIGTERM' });
    expect(report.results.length).toBeGreaterThan(0);
    expect(report.results.length).toBeLessThan(COUNT);
  }, 60_000);
});
