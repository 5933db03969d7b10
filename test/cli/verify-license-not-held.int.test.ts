/**
 * `verify --license` of an id the ledger does not hold says so in its text: the id and that the
 * ledger holds no such license, naming no version of it (`FAIL nope v0` read as a version 0 the
 * ledger holds), and the verdict counts it as a license not held, not as a version that failed.
 * The run fails (exit 1), as docs/signatures.md says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

describe('verify text of a license the ledger does not hold', () => {
  let ws: SignWorkspace;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, 1);
  });
  afterAll(() => ws.cleanup());

  it('names the id as not in the ledger, with no version, and fails the run', async () => {
    const r = await runCli(['verify', '--license', 'nope', '--config', ws.configFile]);
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('FAIL nope: no such license in the ledger');
    expect(r.stdout).not.toContain('v0');
    expect(lines).toContain('verify: 0 version(s), 0 signature(s): 1 license(s) not found');
  });
});
