/**
 * A department's own seal key, from generation to an installed certificate:
 * - `generateSealKey`: a fresh SM2 key as encrypted PKCS#8 (AES-256-CBC, PBKDF2), written
 *   owner-only (0600) and never over an existing file — an overwritten seal key is a lost seal;
 * - `sealRequest`: the PKCS#10 request for the CA (csr.ts), subject from the config;
 * - `installCertificate`: the certificate the CA returns, checked to certify this very key and to
 *   be valid now before it is written where the signer's config expects it.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { checkCertificate, keyFingerprint, parseCertificate, type SealCertificate } from '../certificate.js';
import type { LocalSm2SignerConfig } from './config.js';
import { buildSm2Csr, type SealSubject, type Sm2Csr } from './csr.js';
import { configuredKeyOrigin, configuredKeyPem } from './key-file.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from './keys.js';

/** Shortest passphrase accepted for a seal key. */
export const MIN_PASSPHRASE = 12;

export async function generateSealKey(
  file: string,
  passphrase: string,
  options: { force?: boolean } = {},
): Promise<{ publicKeyPem: string; fingerprint: string }> {
  if (passphrase.length < MIN_PASSPHRASE) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `seal keygen: the passphrase must be at least ${MIN_PASSPHRASE} characters, got ${passphrase.length}`,
    );
  }
  const pair = generateSm2KeyPair({ passphrase });
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  if (options.force) {
    await replaceKeyFile(file, pair.privateKeyPem);
  } else {
    try {
      await writeFile(file, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `seal keygen: ${file} exists; a seal key is never overwritten (move it away, or --force if it is not in use)`,
        );
      }
      throw e;
    }
    // A umask can take bits off writeFile's mode, never add them; chmod makes it exactly owner-only.
    await chmod(file, 0o600);
  }
  return { publicKeyPem: pair.publicKeyPem, fingerprint: keyFingerprint(pair.publicKeyPem) };
}

/**
 * `--force`: the new key goes to an owner-only file beside the old one, reaches the disk, and is
 * renamed over it. Written in place, the old file was truncated first (a full disk then left
 * neither key) and held the new private key under the old file's mode, maybe readable by others.
 */
async function replaceKeyFile(file: string, pem: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(pem);
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * The PEM text of a local-sm2 signer's key: `key` (resolved by the config loader) or `keyFile`,
 * the file either came from mode-checked as the signer checks it (key-file.ts).
 */
export function signerKeyPem(name: string, signer: LocalSm2SignerConfig): string {
  const pem = configuredKeyPem(name, signer);
  if (pem !== undefined) return pem;
  throw new LicbridgeError(ErrorCodes.USAGE, `seal: signer ${name} has neither \`key\` nor \`keyFile\``);
}

export function sealRequest(name: string, signer: LocalSm2SignerConfig, subject: SealSubject): Sm2Csr {
  const origin = configuredKeyOrigin(signer);
  return buildSm2Csr({
    signer: name,
    privateKeyPem: signerKeyPem(name, signer),
    ...(signer.passphrase !== undefined ? { passphrase: signer.passphrase } : {}),
    ...(origin === undefined ? {} : { origin }),
    subject,
  });
}

/**
 * Checks that `certificatePem` certifies the signer's key and is valid at `now`, then writes it to
 * `to` (0644: a certificate is public). Throws SIGNER_KEY naming what does not match.
 */
export async function installCertificate(
  name: string,
  signer: LocalSm2SignerConfig,
  certificatePem: string,
  origin: string,
  to: string,
  now: Date = new Date(),
): Promise<SealCertificate> {
  const cert = parseCertificate(name, certificatePem, origin);
  const key = loadSm2PrivateKey(
    name,
    signerKeyPem(name, signer),
    signer.passphrase,
    configuredKeyOrigin(signer),
  );
  checkCertificate(name, cert, key.publicKeyPem, origin, now);
  await mkdir(dirname(to), { recursive: true });
  await writeFile(to, cert.pem, { mode: 0o644 });
  return cert;
}
