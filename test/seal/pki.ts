/**
 * The seal tests' PKI, made fresh by each test with OpenSSL: a seal maker and a seal holder, each
 * an SM2 key (generated here, never committed) and a self-signed SM2-with-SM3 certificate.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { SignatureRecord } from '../../adapters/signers/signer.js';

export interface Party {
  keyPath: string;
  certPath: string;
  config: LocalSm2SignerConfig;
}

/** An SM2 key and its self-signed certificate, valid `days` days (-1: already expired). */
export function party(dir: string, name: string, cn: string, days = 30): Party {
  const keyPath = join(dir, `${name}.key.pem`);
  const certPath = join(dir, `${name}.cert.pem`);
  writeFileSync(keyPath, generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-new',
      '-key',
      keyPath,
      '-sm3',
      '-sigopt',
      'distid:1234567812345678',
      '-subj',
      `/CN=${cn}`,
      '-days',
      String(days),
      '-out',
      certPath,
    ],
    { stdio: 'pipe' },
  );
  return {
    keyPath,
    certPath,
    config: {
      kind: 'local-sm2',
      keyFile: keyPath,
      certificate: certPath,
      sealId: name,
      distId: '1234567812345678',
      workers: 0,
    },
  };
}

export async function openedSigner(name: string, p: Party): Promise<LocalSm2Signer> {
  const s = new LocalSm2Signer(name, p.config);
  await s.open();
  return s;
}

/** One line of `openssl asn1parse`: offset, header length, content length, depth, text. */
export interface Asn1Line {
  offset: number;
  hl: number;
  length: number;
  depth: number;
  text: string;
}

/** `openssl asn1parse -inform DER` of a file, parsed: the generic tool's own view of the structure. */
export function asn1parse(file: string): Asn1Line[] {
  const out = execFileSync('openssl', ['asn1parse', '-inform', 'DER', '-in', file], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^\s*(\d+):d=(\d+)\s+hl=(\d+)\s+l=\s*(\d+)\s+(.*)$/.exec(line);
      if (!m) throw new Error(`asn1parse: unexpected line ${line}`);
      return {
        offset: Number(m[1]),
        depth: Number(m[2]),
        hl: Number(m[3]),
        length: Number(m[4]),
        text: m[5] as string,
      };
    });
}

/** The whole TLV of a line. */
export function tlvBytes(der: Uint8Array, l: Asn1Line): Uint8Array {
  return der.subarray(l.offset, l.offset + l.hl + l.length);
}

/** The content octets of a line (a BIT STRING's without its unused-bits octet). */
export function contentBytes(der: Uint8Array, l: Asn1Line): Uint8Array {
  const start = l.offset + l.hl + (l.text.includes('BIT STRING') ? 1 : 0);
  return der.subarray(start, l.offset + l.hl + l.length);
}

/** `openssl pkeyutl -verify` of an SM2 signature over `msg` with the key of a DER certificate. */
export function opensslVerify(
  dir: string,
  certDer: Uint8Array,
  msg: Uint8Array,
  sig: Uint8Array,
): { ok: boolean; output: string } {
  writeFileSync(join(dir, 'v.cert.der'), certDer);
  writeFileSync(join(dir, 'v.msg'), msg);
  writeFileSync(join(dir, 'v.sig'), sig);
  execFileSync(
    'openssl',
    ['x509', '-inform', 'DER', '-in', 'v.cert.der', '-pubkey', '-noout', '-out', 'v.pub.pem'],
    { cwd: dir },
  );
  try {
    const output = execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-rawin',
        '-digest',
        'sm3',
        '-pubin',
        '-inkey',
        'v.pub.pem',
        '-sigfile',
        'v.sig',
        '-in',
        'v.msg',
        '-pkeyopt',
        'distid:1234567812345678',
      ],
      { cwd: dir, encoding: 'utf8', stdio: 'pipe' },
    );
    return { ok: true, output };
  } catch (e) {
    return { ok: false, output: String((e as { stdout?: string }).stdout ?? e) };
  }
}

/** The holder's signer, counting every signature it is asked for. */
export class CountingSigner extends LocalSm2Signer {
  signed = 0;
  override async sign(messages: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    this.signed += messages.length;
    return super.sign(messages);
  }
}
