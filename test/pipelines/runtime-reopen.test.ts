// A part that failed to open is opened again by the next job: a worker started while the seal key's
// volume, the department's database or the signing server was away must not fail every later job
// until someone restarts it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { Runtime } from '../../pipelines/runtime.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function runtimeWithKeyFile(keyFile: string, dir: string): Runtime {
  const config = {
    file: join(dir, 'licbridge.yaml'),
    signers: { seal: { kind: 'local-sm2', sealId: '3702110000001', keyFile, workers: 1 } },
    sources: {},
    targets: {},
    pipelines: {},
  } as unknown as Config;
  return new Runtime(config, createLogger({ level: 'silent' }));
}

describe('Runtime parts that failed to open', () => {
  it('opens a signer again once its key file is there, instead of failing every job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-runtime-reopen-'));
    dirs.push(dir);
    const keyFile = join(dir, 'seal.key.pem');
    const runtime = runtimeWithKeyFile(keyFile, dir);
    try {
      await expect(runtime.signer('seal')).rejects.toThrow(/signer seal/);
      // The key volume comes back (here: the file appears).
      writeFileSync(keyFile, generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
      const signer = await runtime.signer('seal');
      const [record] = await signer.sign([Buffer.from('licbridge')]);
      expect(record?.sealId).toBe('3702110000001');
      // Opened once, it is the one every later job gets.
      expect(await runtime.signer('seal')).toBe(signer);
    } finally {
      await runtime.close();
    }
  });

  it('still names an unknown signer at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-runtime-reopen-'));
    dirs.push(dir);
    const runtime = runtimeWithKeyFile(join(dir, 'k.pem'), dir);
    try {
      expect(() => runtime.signer('other')).toThrow(/unknown signer `other`/);
    } finally {
      await runtime.close();
    }
  });
});
