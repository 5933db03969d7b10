/**
 * `verify`'s key summary quotes what the config's signers, a signing server's key info and trust
 * entries name (a seal id, where the key came from): each key line reaches the terminal as one
 * line with no escape sequence, as the result lines before it, so a seal id cannot erase the
 * verdict or forge a line of its own.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignWorkspace, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

describe('verify key summary of a seal id with escape sequences', () => {
  let ws: SignWorkspace;
  beforeAll(async () => {
    ws = await createSignWorkspace(
      '  odd: { kind: local-sm2, keyFile: KEYFILE, sealId: "x\\e[2K\\rverify: 9 version(s), 9 signature(s): all valid\\nok   FORGED v1\\e]0;title\\a" }\n',
    );
    const text = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, text.replace('KEYFILE', join(ws.dir, 'keys', 'new-seal.pem')));
    await seedVersions(`sqlite://${ws.ledgerFile}`, 1);
  });
  afterAll(() => ws.cleanup());

  it('prints each key on one line with no escape sequence', async () => {
    const r = await runCli(['verify', '--all', '--config', ws.configFile]);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).not.toContain('\r');
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('ok '))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('verify: '))).toEqual([
      'verify: 1 version(s), 0 signature(s): 1 version(s) failed',
    ]);
    expect(lines.filter((l) => l.startsWith('key ') && l.includes('(signer odd, seal x')).length).toBe(1);
  });
});
