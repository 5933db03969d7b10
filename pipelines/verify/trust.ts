/**
 * The certificates a sealed OFD license file may chain to, each with what it is trusted for:
 * every configured signer's certificate as a signer, and every entry of the `trust` list as its
 * `role` says (both roles when it says none, as before roles existed). A seal is made by a seal
 * maker (GB/T 38540), never by its holder: a signer's certificate vouches for no seal, so a seal
 * its holder made with its own key fails. The same material `verify` trusts for ledger
 * signatures (./keys.ts), read as certificates because an OFD's SES signature carries one.
 */
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-verify.js';
import { readCertificate } from '../../adapters/signers/certificate.js';
import { readTrustFile } from '../../adapters/signers/trust-file.js';
import type { Config } from '../../config/types.js';

/** The certificates and keys the operator configured: every signer's certificate, every trust entry. */
export function configuredTrust(config: Readonly<Config>): TrustedMaterial[] {
  const out: TrustedMaterial[] = [];
  for (const [name, signer] of Object.entries(config.signers)) {
    if (signer.certificate === undefined) continue;
    const certificate = readCertificate(name, signer.certificate);
    out.push({
      publicKeyPem: certificate.publicKeyPem,
      certificate,
      origin: `signer ${name}`,
      role: 'signer',
    });
  }
  for (const [name, entry] of Object.entries(config.trust)) {
    for (const m of readTrustFile(entry.file)) {
      out.push({ ...m, origin: `trust ${name}`, ...(entry.role !== undefined ? { role: entry.role } : {}) });
    }
  }
  return out;
}
