/**
 * `seal keygen --force` replaces a seal key by writing the new one beside it and renaming it over:
 * the old key's file is never truncated in place, so a failed write (a full disk) cannot leave
 * neither key, and another name for the old file (a hard-linked backup) keeps the old key.
 */
import { link, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSealKey } from '../../adapters/signers/local-sm2/seal-keys.js';

const PASSPHRASE = `pw-${Math.random().toString(36).slice(2)}-force`;

describe('seal keygen --force', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-seal-force-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('puts a new owner-only key in place and leaves the old file itself untouched', async () => {
    const file = join(dir, 'keys', 'seal.key.pem');
    const backup = join(dir, 'seal.key.pem.bak');
    const old = await generateSealKey(file, PASSPHRASE);
    const oldPem = await readFile(file, 'utf8');
    await link(file, backup);
    const fresh = await generateSealKey(file, PASSPHRASE, { force: true });
    expect(fresh.fingerprint).not.toBe(old.fingerprint);
    expect(await readFile(file, 'utf8')).not.toBe(oldPem);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(backup, 'utf8')).toBe(oldPem);
    // Nothing left beside the key.
    expect(await readdir(join(dir, 'keys'))).toEqual(['seal.key.pem']);
  });
});
