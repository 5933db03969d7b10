/**
 * Reading a trust-list file: the certificates or public keys of retired seal keys the operator
 * still accepts signatures from. A file holds one or more PEM blocks (`CERTIFICATE` or `PUBLIC
 * KEY`), each an SM2 key. A private key here is refused: the trust list is public material, and a
 * private key in it means the wrong file was named.
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { parseCertificate, type SealCertificate } from './certificate.js';
import { parseSm2PublicKeyPem } from './local-sm2/keys.js';

/** One key a trust file names; the certificate when the block was one. */
export interface TrustedKeyMaterial {
  publicKeyPem: string;
  certificate: SealCertificate | null;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
/** A private key's BEGIN line, wherever it stands. */
const STRAY_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

function trustError(path: string, detail: string, cause?: unknown): LicbridgeError {
  return new LicbridgeError(ErrorCodes.SIGNER_KEY, `trust: ${path}: ${detail}`, {
    context: { file: path },
    cause,
  });
}

/** Parses every PEM block of a trust file; throws naming the file and the block, never its content. */
export function parseTrustFile(path: string, text: string): TrustedKeyMaterial[] {
  const out: TrustedKeyMaterial[] = [];
  const starts: number[] = [];
  let index = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    index++;
    starts.push(m.index);
    const label = m[1] as string;
    const pem = `${m[0]}\n`;
    if (label === 'CERTIFICATE') {
      const certificate = parseCertificate('trust', pem, `${path} (block ${index})`);
      checkSm2(path, index, certificate.publicKeyPem);
      out.push({ publicKeyPem: certificate.publicKeyPem, certificate });
    } else if (label === 'PUBLIC KEY') {
      checkSm2(path, index, pem);
      out.push({ publicKeyPem: pem, certificate: null });
    } else if (label.includes('PRIVATE KEY')) {
      throw trustError(
        path,
        `block ${index} is a private key; list the certificate or the public key instead`,
      );
    } else {
      throw trustError(path, `block ${index} is a ${label}; expected CERTIFICATE or PUBLIC KEY`);
    }
  }
  // A private key outside any whole block (its END line cut off or of another label, a key pasted
  // by hand) is one all the same: passed over, the file loaded with it left in it.
  const stray = STRAY_PRIVATE_KEY.exec(text);
  if (stray) {
    const before = starts.filter((at) => at < stray.index).length;
    throw trustError(
      path,
      `holds a private key (a PRIVATE KEY line ${before === 0 ? 'before any block' : `after block ${before}`}); list the certificate or the public key instead`,
    );
  }
  if (out.length === 0) throw trustError(path, 'no PEM certificate or public key found');
  return out;
}

function checkSm2(path: string, index: number, publicKeyPem: string): void {
  try {
    parseSm2PublicKeyPem(publicKeyPem);
  } catch (e) {
    throw trustError(path, `block ${index} is not an SM2 public key`, e);
  }
}

/** Reads and parses a trust file. */
export function readTrustFile(path: string): TrustedKeyMaterial[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw trustError(path, `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, e);
  }
  return parseTrustFile(path, text);
}
