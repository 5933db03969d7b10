/**
 * The keys an audit export may be signed with. The public key written beside an export proves
 * nothing by itself: whoever can replace the kept files can sign a cut or rewritten export with a
 * key of their own and put that key beside it. An export is therefore accepted only when its key is
 * one the operator configured — each signer's current key and certificate, and the trust entries
 * for signers (pipelines/verify/keys.ts) — or one given on the command line (`--key FILE`). The
 * ledger's key registry is read only to explain a refusal: anyone who can write the ledger could
 * have put a key there.
 */
import { keyFingerprint, sameKey } from '../adapters/signers/certificate.js';
import { readTrustFile } from '../adapters/signers/trust-file.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Ledger } from '../ledger/ledger.js';
import { verificationKeys } from './verify/keys.js';

/** A key an export's key is compared with. */
export interface AnchorKey {
  publicKeyPem: string;
  /** Where it came from: `signer <name>`, `trust <name>`, `--key <file>` or `ledger`. */
  origin: string;
  /** Only a trusted key makes an export acceptable; a ledger key only explains a refusal. */
  trusted: boolean;
  sealId?: string;
}

/** The keys exports are checked with, and how a refusal says where they came from. */
export interface AnchorKeys {
  keys: readonly AnchorKey[];
  /** `the configured ones (…)` or `the ones given with --key (…)`. */
  described: string;
}

/** The keys of the `--key` files (PEM certificates or public keys, as a trust file holds). */
export function keysFromFiles(files: readonly string[]): AnchorKeys {
  const keys: AnchorKey[] = [];
  for (const file of files) {
    try {
      for (const m of readTrustFile(file))
        keys.push({ publicKeyPem: m.publicKeyPem, origin: `--key ${file}`, trusted: true });
    } catch (e) {
      throw new LicbridgeError(ErrorCodes.USAGE, `audit: --key ${file}: ${(e as Error).message}`);
    }
  }
  return { keys, described: `the ones given with --key (${files.join(', ')})` };
}

/** The config's signer keys and certificates and its trust entries for signers; the ledger's as untrusted. */
export async function configuredAnchorKeys(
  config: Readonly<Config>,
  ledger: Ledger,
  logger: Logger,
): Promise<AnchorKeys> {
  const keys = (await verificationKeys(config, ledger, logger)).map((k) => ({
    publicKeyPem: k.publicKeyPem,
    origin: k.origin,
    trusted: k.trusted,
    sealId: k.sealId,
  }));
  return {
    keys,
    described:
      'the configured ones (the signers’ keys and certificates, trust entries with role signer), nor one given with --key',
  };
}

function matches(key: AnchorKey, pem: string): boolean {
  try {
    return sameKey(key.publicKeyPem, pem);
  } catch {
    return false;
  }
}

/**
 * The trusted key that is `pem` (an export's key, already parsed), or a refusal naming the export,
 * the key's fingerprint and, when the ledger registers it, that the ledger's word is not taken.
 */
export function acceptedKey(file: string, pem: string, anchorKeys: AnchorKeys): AnchorKey {
  const trusted = anchorKeys.keys.find((k) => k.trusted && matches(k, pem));
  if (trusted) return trusted;
  const inLedger = anchorKeys.keys.find((k) => !k.trusted && matches(k, pem));
  const ledgerNote = inLedger
    ? `; the ledger registers it${inLedger.sealId ? ` for seal ${inLedger.sealId}` : ''}, which makes no key trusted — list it in trust with role signer, or pass it with --key`
    : '';
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `audit: export ${file}: it is signed with key ${keyFingerprint(pem)} (${file}.pub.pem), which is not one of ${anchorKeys.described}: refused, since whoever can replace the export can sign it with a key of their own${ledgerNote}`,
  );
}
