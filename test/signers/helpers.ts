/** Shared helpers for the SM2 signer tests: temp dirs, OpenSSL runs and the sm-crypto peer. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'licbridge-sm2-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunResult {
  status: number | null;
  output: string;
}

/** Runs the system `openssl` with an argument list (no shell). */
export function openssl(args: string[], cwd: string): RunResult {
  const res = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (res.error) throw res.error;
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** The subset of sm-crypto's sm2 API the cross-checks use (the package ships no types). */
export interface SmCryptoSm2 {
  doSignature(
    msg: string | number[],
    privateKeyHex: string,
    opts: { hash: boolean; der: boolean; userId?: string; publicKey?: string },
  ): string;
  doVerifySignature(
    msg: string | number[],
    signatureHex: string,
    publicKeyHex: string,
    opts: { hash: boolean; der: boolean; userId?: string },
  ): boolean;
}

export function smCrypto(): SmCryptoSm2 {
  const require = createRequire(import.meta.url);
  return (require('sm-crypto') as { sm2: SmCryptoSm2 }).sm2;
}

/**
 * A self-signed SM2 certificate made by OpenSSL (SM3, distinguishing id 1234567812345678) for the
 * key file `key` in `dir`, written to `out` there; its validity starts now and lasts `days`.
 */
export function selfSignedCertificate(
  dir: string,
  options: { key?: string; subject?: string; days?: number; out?: string } = {},
): void {
  const r = openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      options.key ?? 'key.pem',
      '-sm3',
      '-sigopt',
      'distid:1234567812345678',
      '-subj',
      options.subject ?? '/CN=seal',
      '-days',
      String(options.days ?? 30),
      '-out',
      options.out ?? 'cert.pem',
    ],
    dir,
  );
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.output}`);
}
