/**
 * The seal tests' PKI, made with OpenSSL: a seal maker and a seal holder, each an SM2 key
 * (generated here, never committed) and a self-signed SM2-with-SM3 certificate.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { type MakeSealInput, makeSeal } from '../../adapters/signers/ses/make-seal.js';
import type { DescribedSigner, SignatureRecord } from '../../adapters/signers/signer.js';

export interface Party {
  keyPath: string;
  certPath: string;
  config: LocalSm2SignerConfig;
}

/**
 * Parties already made in this test process, by name, subject and validity. Unit files share a
 * process (vitest.config.ts), and a party made again for each of them cost a key, an OpenSSL
 * run, and the verification table the key earns once it is used a few times (~0.1 s of CPU,
 * adapters/signers/local-sm2/verify-tables.ts): one file's maker and holder keys are the next
 * file's too. Kept on globalThis, as this module is evaluated afresh for each file. Two parties of
 * one file differ by name, so never share a key.
 */
const MADE = Symbol.for('licbridge.test.parties');
const shared = globalThis as { [MADE]?: Map<string, { key: string; cert: string }> };
shared[MADE] ??= new Map();
const made = shared[MADE];

/** An SM2 key and its self-signed certificate, valid `days` days (-1: already expired). */
export function party(dir: string, name: string, cn: string, days = 30): Party {
  const keyPath = join(dir, `${name}.key.pem`);
  const certPath = join(dir, `${name}.cert.pem`);
  const id = JSON.stringify([name, cn, days]);
  const earlier = made.get(id);
  if (earlier) {
    writeFileSync(keyPath, earlier.key, { mode: 0o600 });
    writeFileSync(certPath, earlier.cert);
  } else {
    const key = generateSm2KeyPair().privateKeyPem;
    writeFileSync(keyPath, key, { mode: 0o600 });
    certify(keyPath, certPath, cn, days);
    made.set(id, { key, cert: readFileSync(certPath, 'utf8') });
  }
  return partyAt(keyPath, certPath, name);
}

/**
 * A fresh SM2 key (never shared) and its self-signed certificate of `keyUsage`, a critical
 * extension (`keyEncipherment,dataEncipherment`; null: no extension), valid 30 days.
 */
export function partyWithKeyUsage(dir: string, name: string, cn: string, keyUsage: string | null): Party {
  const keyPath = join(dir, `${name}.key.pem`);
  const certPath = join(dir, `${name}.cert.pem`);
  writeFileSync(keyPath, generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  certify(keyPath, certPath, cn, 30, keyUsage === null ? [] : ['-addext', `keyUsage=critical,${keyUsage}`]);
  return partyAt(keyPath, certPath, name);
}

function partyAt(keyPath: string, certPath: string, name: string): Party {
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

/** OpenSSL's self-signed SM2-with-SM3 certificate of the key at `keyPath`, written to `certPath`. */
function certify(
  keyPath: string,
  certPath: string,
  cn: string,
  days: number,
  extensions: string[] = [],
): void {
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
      ...extensions,
      '-out',
      certPath,
    ],
    { stdio: 'pipe' },
  );
}

export async function openedSigner(name: string, p: Party): Promise<LocalSm2Signer> {
  const s = new LocalSm2Signer(name, p.config);
  await s.open();
  return s;
}

/**
 * A seal of `holder` made by `maker` (an opened signer, closed here) and written to `file`, as
 * `seal make` writes one: what the seal states besides the holder's certificate, made now.
 */
export async function writeSeal(
  file: string,
  maker: DescribedSigner & { close(): Promise<void> },
  holder: Party,
  seal: Pick<MakeSealInput, 'image' | 'name' | 'esId' | 'type' | 'widthMm' | 'heightMm'>,
): Promise<string> {
  const made = await makeSeal({
    maker,
    holderCertificatePem: readFileSync(holder.certPath, 'utf8'),
    ...seal,
    vendorId: 'licbridge',
    now: new Date(),
  });
  await maker.close();
  writeFileSync(file, made.der);
  return file;
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

/** The holder's signer, counting every signature it is asked for (of messages or of digests). */
export class CountingSigner extends LocalSm2Signer {
  signed = 0;
  override async sign(messages: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    this.signed += messages.length;
    return super.sign(messages);
  }
  override async signDigests(digests: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    this.signed += digests.length;
    return super.signDigests(digests);
  }
}
