/**
 * The certificates a sealed OFD license file may chain to, each with what it is trusted for:
 * every configured signer's certificate as a signer, and every entry of the `trust` list as its
 * `role` says (both roles when it says none, as before roles existed). A seal is made by a seal
 * maker (GB/T 38540), never by its holder: a signer's certificate vouches for no seal, so a seal
 * its holder made with its own key fails. The same material `verify` trusts for ledger
 * signatures (./keys.ts), read as certificates because an OFD's SES signature carries one.
 */

import { readFileSync } from 'node:fs';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { parseCertificate, readCertificate, sameKey } from '../../adapters/signers/certificate.js';
import { readTrustFile } from '../../adapters/signers/trust-file.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

/**
 * The certificates of a `role: tsa` entry: a time-stamping authority's, or the root that issues
 * them — of any key type (TSAs sign with SM2, RSA or ECDSA), so not read as an SM2 seal key.
 */
function tsaCertificates(name: string, file: string): TrustedMaterial[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.SIGNER_KEY,
      `trust: ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      { context: { file } },
    );
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0)
    throw new LicbridgeError(ErrorCodes.SIGNER_KEY, `trust: ${file}: no PEM certificate found (role tsa)`, {
      context: { file },
    });
  return blocks.map((pem, i) => {
    const certificate = parseCertificate('trust', `${pem}\n`, `${file} (block ${i + 1})`);
    return {
      publicKeyPem: certificate.publicKeyPem,
      certificate,
      origin: `trust ${name}`,
      role: 'tsa' as const,
    };
  });
}

/** The certificates and keys the operator configured: every signer's certificate, every trust entry. */
export function configuredTrust(config: Readonly<Config>): TrustedMaterial[] {
  const out: TrustedMaterial[] = [];
  // The current key of each configured signer's seal id (those with a certificate).
  const currentKeys = new Map<string, string[]>();
  for (const [name, signer] of Object.entries(config.signers)) {
    if (signer.certificate === undefined) continue;
    const certificate = readCertificate(name, signer.certificate);
    currentKeys.set(signer.sealId, [...(currentKeys.get(signer.sealId) ?? []), certificate.publicKeyPem]);
    out.push({
      publicKeyPem: certificate.publicKeyPem,
      certificate,
      origin: `signer ${name}`,
      role: 'signer',
    });
  }
  const signerSeals = new Set(Object.values(config.signers).map((signer) => signer.sealId));
  for (const [name, entry] of Object.entries(config.trust)) {
    if (entry.role === 'tsa') {
      out.push(...tsaCertificates(name, entry.file));
      continue;
    }
    for (const m of readTrustFile(entry.file)) {
      // Without a role, a key under a configured signer's seal id other than that signer's own is
      // the seal's retired key (docs/signatures.md, rotating a key): a signer, which makes no
      // seal. The signer's own, listed again, is there to be trusted as what the signer's
      // certificate alone is not: the seal maker that `seal make --maker` signs with. Any other
      // keeps both roles, as configs written before roles trust their seal maker so.
      const retired =
        signerSeals.has(entry.sealId) &&
        !(currentKeys.get(entry.sealId) ?? []).some((k) => sameKey(k, m.publicKeyPem));
      const role = entry.role ?? (retired ? 'signer' : undefined);
      out.push({ ...m, origin: `trust ${name}`, ...(role !== undefined ? { role } : {}) });
    }
  }
  return out;
}
