/**
 * A department's own seal: `seal keygen` writes an encrypted PKCS#8 SM2 key owner-only and never
 * over an existing one; `seal csr` builds a PKCS#10 request (SM2 with SM3, default distinguishing
 * id) that OpenSSL verifies — and refuses once a byte of it changes; a certificate a CA issues for
 * it installs, while one for another key or an expired one is refused.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import {
  generateSealKey,
  installCertificate,
  sealRequest,
} from '../../adapters/signers/local-sm2/seal-keys.js';

const PASSPHRASE = `pw-${Math.random().toString(36).slice(2)}-seal`;
const SUBJECT = {
  organization: '青岛西海岸新区市场监督管理局',
  creditCode: '11370211MB12345672',
  sealId: '3702110000001',
};

let dir: string;
let signer: LocalSm2SignerConfig;
const openssl = (args: string[], input?: string) =>
  execFileSync('openssl', args, {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(input ? { input } : {}),
  });

/** OpenSSL's verdict on a request's self-signature (it exits 0 either way; the words differ). */
const verdict = (file: string, distId: string): string => {
  const r = spawnSync('openssl', ['req', '-in', file, '-noout', '-verify', '-vfyopt', `distid:${distId}`], {
    cwd: dir,
    encoding: 'utf8',
  });
  return `${r.stdout}${r.stderr}`.match(/verify (OK|failure)/)?.[1] ?? `no verdict: ${r.stderr}`;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lb-seal-'));
  signer = {
    kind: 'local-sm2',
    keyFile: join(dir, 'keys', 'seal.key.pem'),
    passphrase: PASSPHRASE,
    sealId: SUBJECT.sealId,
    distId: '1234567812345678',
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('seal keygen', () => {
  it('writes an encrypted SM2 key, owner-only, that OpenSSL reads with the passphrase', async () => {
    const key = await generateSealKey(signer.keyFile as string, PASSPHRASE);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect((await stat(signer.keyFile as string)).mode & 0o777).toBe(0o600);
    const pem = await readFile(signer.keyFile as string, 'utf8');
    expect(pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    const text = execFileSync(
      'openssl',
      ['pkey', '-in', signer.keyFile as string, '-passin', 'env:LB_SEAL_PW', '-noout', '-text'],
      {
        env: { ...process.env, LB_SEAL_PW: PASSPHRASE },
        encoding: 'utf8',
      },
    );
    expect(text).toMatch(/ASN1 OID: SM2/);
  });

  it('never overwrites a key, and refuses a short passphrase', async () => {
    const before = await readFile(signer.keyFile as string, 'utf8');
    await expect(generateSealKey(signer.keyFile as string, PASSPHRASE)).rejects.toThrow(/never overwritten/);
    expect(await readFile(signer.keyFile as string, 'utf8')).toBe(before);
    await expect(generateSealKey(join(dir, 'other.pem'), 'short')).rejects.toThrow(/at least 12/);
  });
});

describe('seal csr and install', () => {
  it('gives a request OpenSSL verifies (SM2 with SM3, default id) with the subject from the config', async () => {
    const csr = sealRequest('district-seal', signer, SUBJECT);
    await writeFile(join(dir, 'seal.csr'), csr.pem);
    const out = openssl([
      'req',
      '-in',
      'seal.csr',
      '-noout',
      '-verify',
      '-vfyopt',
      'distid:1234567812345678',
      '-text',
      '-nameopt',
      'utf8',
    ]);
    expect(out).toContain('Signature Algorithm: SM2-with-SM3');
    expect(out).toContain('O=青岛西海岸新区市场监督管理局');
    expect(out).toContain('serialNumber=11370211MB12345672');
    expect(verdict('seal.csr', '1234567812345678')).toBe('OK');
    // A real signature: another distinguishing id does not verify, nor does a changed subject.
    expect(verdict('seal.csr', '0000000000000000')).toBe('failure');
    const der = Buffer.from(csr.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('11370211MB12345672'));
    der[at] = 0x32;
    const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
    await writeFile(
      join(dir, 'changed.csr'),
      `-----BEGIN CERTIFICATE REQUEST-----\n${b64}\n-----END CERTIFICATE REQUEST-----\n`,
    );
    expect(verdict('changed.csr', '1234567812345678')).toBe('failure');
  });

  it('installs the certificate a CA issues for the request, and refuses one for another key', async () => {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      '/CN=Test CA',
      '-days',
      '2',
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      'seal.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-days',
      '30',
      '-out',
      'seal.crt',
      '-vfyopt',
      'distid:1234567812345678',
    ]);
    const to = join(dir, 'installed', 'seal.crt');
    const cert = await installCertificate(
      'district-seal',
      signer,
      await readFile(join(dir, 'seal.crt'), 'utf8'),
      'seal.crt',
      to,
    );
    expect(cert.subject).toContain('11370211MB12345672');
    expect(await readFile(to, 'utf8')).toContain('BEGIN CERTIFICATE');

    // The CA's own certificate certifies another key: refused, nothing written.
    const elsewhere = join(dir, 'installed', 'wrong.crt');
    await expect(
      installCertificate(
        'district-seal',
        signer,
        await readFile(join(dir, 'ca.crt'), 'utf8'),
        'ca.crt',
        elsewhere,
      ),
    ).rejects.toThrow(/does not certify the signing key/);
    await expect(stat(elsewhere)).rejects.toThrow();
    // Expired by the time it is installed.
    await expect(
      installCertificate(
        'district-seal',
        signer,
        await readFile(join(dir, 'seal.crt'), 'utf8'),
        'seal.crt',
        elsewhere,
        new Date(Date.now() + 60 * 86_400_000),
      ),
    ).rejects.toThrow(/expired|not valid/);
  });
});
