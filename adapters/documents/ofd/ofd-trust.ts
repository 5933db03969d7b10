/**
 * Whom a sealed OFD file's verification (ofd-verify.ts) takes as standing behind it: the keys the
 * operator trusts and what for (signer, seal maker, TSA), and the seal whose maker is its own holder
 * (GB/T 38540: a seal maker makes a seal, not its holder), whatever the trust says of that maker.
 */
import { type SealCertificate, sameKey } from '../../signers/certificate.js';
import { certificateDer, embeddedCertificate, sealListsCertificate } from '../../signers/ses/check-seal.js';
import type { SesSeal } from '../../signers/ses/seal-format.js';

/** What a trusted key may stand behind: a signature (a signer), a seal (a seal maker), a timestamp (a TSA). */
export type TrustRole = 'signer' | 'seal-maker' | 'tsa';

/** A key the operator trusts: a certificate (serial must match) or a bare public key. */
export interface TrustedMaterial {
  publicKeyPem: string;
  certificate: SealCertificate | null;
  origin: string;
  /**
   * What it is trusted for; signer and seal maker when absent (never a TSA). GB/T 38540 keeps the
   * two apart: a seal is made by a seal maker, not by its holder, so a signer's certificate
   * vouches for no seal.
   */
  role?: TrustRole;
}

/**
 * The trusted entry this embedded certificate is: a trusted certificate only when it is that very
 * certificate. Key and serial alone are not enough — the seal maker's certificate is outside the
 * maker's signature, and anyone holding a key can make a certificate with its serial and any
 * subject or validity, which the checks at signing time would then read.
 */
function trustedFor(cert: SealCertificate, trust: readonly TrustedMaterial[]): TrustedMaterial[] {
  return trust.filter((t) =>
    t.certificate === null ? sameKey(t.publicKeyPem, cert.publicKeyPem) : t.certificate.pem === cert.pem,
  );
}

const SELF_MADE = 'a seal its holder made itself is not a properly made seal';

/**
 * How the seal's maker is its own holder, or null when it is not: its certificate is one the
 * seal lists (as embedded, or as the certificate it encodes), or certifies the key of one. The
 * maker's certificate is outside the maker's signature, so the holder chooses its bytes: the same
 * certificate with a longer length (BER, which OpenSSL reads as the same certificate), or another
 * certificate of its own key, are the holder still.
 */
export function selfMade(seal: SesSeal, maker: SealCertificate): 'listed' | 'same key' | null {
  if (
    sealListsCertificate(seal, seal.makerCertificate) ||
    sealListsCertificate(seal, certificateDer(maker.pem))
  )
    return 'listed';
  const holders = seal.info.holderCertificates.map((der) => embeddedCertificate(der, 'seal holder'));
  return holders.some((h) => h !== null && sameKey(h.publicKeyPem, maker.publicKeyPem)) ? 'same key' : null;
}

/**
 * Why `seal`'s maker (`maker`, its certificate) does not stand behind it, or null when it does: a
 * maker trusted as a seal maker, and not the seal's own holder — a seal lists its holders'
 * certificates, and one whose maker is among them, or holds the key of one, was made by its
 * holder (GB/T 38540: a seal maker makes it), whatever the trust says of that certificate.
 */
export function makerProblem(
  seal: SesSeal,
  maker: SealCertificate,
  trust: readonly TrustedMaterial[],
): string | null {
  const how = selfMade(seal, maker);
  const untrusted = trustProblem(maker, 'seal-maker', trust, how !== null);
  if (untrusted !== null || how === null) return untrusted;
  const what =
    how === 'listed'
      ? "is one it lists as its holder's"
      : "certifies the key of a certificate it lists as its holder's";
  return `self-made seal: its maker's certificate serial ${maker.serial} (${maker.subject}) ${what}; ${SELF_MADE}`;
}

/**
 * Why `cert` is not trusted as `role`, or null when it is: untrusted, or trusted only for the
 * other role (named, so the operator sees which entry it matched).
 */
export function trustProblem(
  cert: SealCertificate,
  role: TrustRole,
  trust: readonly TrustedMaterial[],
  selfMade = false,
): string | null {
  const matches = trustedFor(cert, trust);
  if (matches.some((t) => (t.role === undefined ? role !== 'tsa' : t.role === role))) return null;
  const who = role === 'signer' ? 'signer' : 'seal maker';
  const id = `certificate serial ${cert.serial} (${cert.subject})`;
  if (matches.length > 0) {
    const other = role === 'signer' ? 'a seal maker' : 'a signer';
    return `untrusted ${who}: ${id} is trusted only as ${other} (${matches.map((t) => t.origin).join(', ')}), not as a ${who}${selfMade ? `; ${SELF_MADE}` : ''}`;
  }
  return role === 'signer'
    ? `untrusted signer: ${id} is not a configured signer's certificate nor in \`trust\``
    : `untrusted seal maker: ${id} is not in \`trust\` as a seal maker (role \`seal-maker\`)`;
}
