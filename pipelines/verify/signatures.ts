/**
 * The `verify` use case: every selected ledger version, re-canonicalised and checked against each
 * of its signatures with the keys the config trusts. Each result names the key that verified it,
 * so an auditor sees which seal key (and certificate) stands behind every license.
 */
import { setImmediate } from 'node:timers/promises';
import { SignatureVerifier, type VerificationKey } from '../../adapters/signers/verify-signature.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger, StoredSignature } from '../../ledger/ledger.js';
import { storedText } from '../reconcile/stored-text.js';
import { verificationKeys } from './keys.js';

/** The key behind a result, as reports show it. */
export interface ResultKey {
  /** First 16 hex digits of SM3 over the SPKI DER. */
  fingerprint: string;
  origin: string;
  certificateSerial: string | null;
}

/** One signature checked (or a version with none, or a license id not found). */
export interface VerifyResult {
  licenseId: string;
  version: number;
  versionId: number;
  sealId: string | null;
  ok: boolean;
  /** The trusted key the signature verified with; null when none did. */
  key: ResultKey | null;
  reasons: string[];
}

export interface VerifySelection {
  all?: boolean;
  licenseIds?: readonly string[];
  pipeline?: string;
}

export interface VerifyOptions {
  /**
   * Told each result as it is made, in version order. The summary's `results` then keeps only the
   * failed ones: a run over millions of versions holds its failures, not ~0.5 KB for each version.
   * In `verifyLedger` the files' `results` likewise keep only those failed or with notes.
   */
  onResult?: (result: VerifyResult) => void;
}

export interface VerifySummary {
  versions: number;
  signatures: number;
  /** Versions with at least one failed result. */
  failed: number;
  ok: boolean;
  /** Every result; only the failed ones when `onResult` was given. */
  results: VerifyResult[];
  /** Trusted keys, with how many signatures each verified. */
  keys: (ResultKey & { sealId: string; signatures: number })[];
}

function resultKey(k: VerificationKey): ResultKey {
  return { fingerprint: k.fingerprint, origin: k.origin, certificateSerial: k.certificate?.serial ?? null };
}

/** The pipeline each of `licenseIds` the ledger holds is in, read from its versions' lineage. */
async function pipelinesOf(ledger: Ledger, licenseIds: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let left = licenseIds;
  for (let after = 0; left.length > 0; ) {
    const page = await ledger.versionPage({ afterVersionId: after, limit: 500, licenseIds: left });
    if (page.length === 0) break;
    after = (page[page.length - 1] as { versionId: number }).versionId;
    for (const v of page) if (!found.has(v.licenseId)) found.set(v.licenseId, v.lineage.pipeline);
    // A license found needs none of its later versions read.
    left = left.filter((id) => !found.has(id));
  }
  return found;
}

export async function verifySignatures(
  config: Readonly<Config>,
  ledger: Ledger,
  selection: VerifySelection,
  logger: Logger,
  options: VerifyOptions = {},
): Promise<VerifySummary> {
  const keys = await verificationKeys(config, ledger, logger);
  const verifier = new SignatureVerifier();
  const results: VerifyResult[] = [];
  const { onResult } = options;
  const add = (r: VerifyResult): void => {
    onResult?.(r);
    if (!onResult || !r.ok) results.push(r);
  };
  const used = new Map<VerificationKey, number>();
  let versions = 0;
  let signatures = 0;
  // Only the licenses asked for are looked for; over the whole ledger the set is not needed.
  const seen = selection.licenseIds === undefined ? undefined : new Set<string>();
  for (let after = 0; ; ) {
    const page = await ledger.versionPage({
      afterVersionId: after,
      limit: 500,
      ...(selection.pipeline !== undefined ? { pipeline: selection.pipeline } : {}),
      ...(selection.licenseIds !== undefined ? { licenseIds: selection.licenseIds } : {}),
    });
    if (page.length === 0) break;
    after = (page[page.length - 1] as { versionId: number }).versionId;
    const sigs = await ledger.getSignatures(page.map((v) => v.versionId));
    const byVersion = new Map<number, StoredSignature[]>();
    for (const s of sigs) byVersion.set(s.versionId, [...(byVersion.get(s.versionId) ?? []), s]);
    for (const v of page) {
      versions++;
      seen?.add(v.licenseId);
      const own = byVersion.get(v.versionId) ?? [];
      const base = { licenseId: v.licenseId, version: v.version, versionId: v.versionId };
      if (own.length === 0) {
        add({
          ...base,
          sealId: null,
          ok: false,
          key: null,
          reasons: ['unsigned: no signature recorded'],
        });
      }
      // A text that does not read fails its version, named, and the rest is still checked: read
      // as it stood, it threw out of the whole verification.
      const text = storedText(v, false);
      for (const s of own) {
        signatures++;
        const { reasons, key } =
          'problem' in text
            ? { reasons: [`${text.problem}: the signed license cannot be checked`], key: null }
            : verifier.check(text.license, v.contentHash, s, keys);
        if (key) used.set(key, (used.get(key) ?? 0) + 1);
        add({
          ...base,
          sealId: s.sealId,
          ok: reasons.length === 0,
          key: key ? resultKey(key) : null,
          reasons,
        });
      }
    }
    // A page is CPU work, and over a synchronous driver (SQLite) its reads never reach the event
    // loop: without this turn a SIGTERM or SIGINT waited for the whole ledger to be checked.
    await setImmediate();
  }
  // A pipeline neither configured nor in the ledger is a mistyped name, not "all verified".
  // Own names only: `in` finds what every object inherits (`toString`) in a map with a prototype.
  if (
    selection.pipeline !== undefined &&
    versions === 0 &&
    !Object.hasOwn(config.pipelines, selection.pipeline)
  ) {
    const known = Object.keys(config.pipelines);
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `verify: no pipeline \`${selection.pipeline}\` in the config or the ledger${known.length > 0 ? `; the config's pipelines: ${known.join(', ')}` : ''}`,
    );
  }
  // Every license asked for is answered: one the ledger does not hold fails the run, even beside
  // others that verify; so does one it holds in another pipeline than `--pipeline`, named with it.
  if (selection.licenseIds !== undefined) {
    const missing = [...new Set(selection.licenseIds)].filter((id) => !seen?.has(id));
    const elsewhere =
      selection.pipeline !== undefined && missing.length > 0
        ? await pipelinesOf(ledger, missing)
        : new Map<string, string>();
    for (const id of missing) {
      const other = elsewhere.get(id);
      add({
        licenseId: id,
        version: 0,
        versionId: 0,
        sealId: null,
        ok: false,
        key: null,
        reasons: [
          other === undefined
            ? 'no such license in the ledger'
            : `not in pipeline ${selection.pipeline}: the license is in pipeline ${other}; verify it with --pipeline ${other}, or without --pipeline`,
        ],
      });
    }
  }
  const failed = new Set(results.filter((r) => !r.ok).map((r) => `${r.licenseId}:${r.version}`)).size;
  return {
    versions,
    signatures,
    failed,
    ok: failed === 0,
    results,
    keys: keys
      .filter((k) => k.trusted)
      .map((k) => ({ sealId: k.sealId, ...resultKey(k), signatures: used.get(k) ?? 0 })),
  };
}
