/**
 * The batch-signing loop behind `sign backfill` and `sign resign`: pages of version ids, signed
 * and recorded one page at a time, so a killed run loses at most the page in flight and a rerun
 * picks up exactly the versions still unsigned (the ledger keeps one signature per version and
 * seal). The next page is signed while the previous one is written.
 */
import type { Signer } from '../../adapters/signers/signer.js';
import type { Config, SignerConfig } from '../../config/types.js';
import { crashPoint } from '../../core/crash-point.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger, StoredSignature } from '../../ledger/ledger.js';
import { recordConfigChange } from '../config-audit.js';
import { openConfigLedger } from '../config-ledger.js';
import { byUnit, issuerUnit, OTHER_UNIT_LISTED, type OtherUnitVersion } from '../seal-units.js';
import {
  nameStoredTexts,
  type StoredTextVersion,
  signableVersions,
  signReadVersions,
} from '../stages/sign.js';

/** A display of one pass (`licbridge sign` draws a bar on stderr): told each page recorded, then the end. */
export interface PassProgress {
  add(count: number): void;
  finish(): void;
}

/** Makes the display of one pass, given whose pass it is and how many versions it expects to sign. */
export type PassProgressFactory = (
  pass: { pipeline: string | null; signer: string },
  total: number,
) => PassProgress;

/** What one pass did, and what is left for the next run. */
export interface PassSummary {
  /** null: a selection across pipelines (`sign resign` without `--pipeline`). */
  pipeline: string | null;
  signer: string;
  sealId: string;
  signed: number;
  skipped: number;
  /** Versions left unsigned: the issuing unit recorded with them is not the signer's (`unit`). */
  otherUnit: number;
  /** The first of them (up to `OTHER_UNIT_LISTED`). */
  otherUnits: OtherUnitVersion[];
  /** Versions left unsigned: their stored license text is corrupt (it does not read, or was altered). */
  storedText: number;
  /** The first of them (up to `STORED_TEXT_LISTED`). */
  storedTexts: StoredTextVersion[];
  /** Includes the `otherUnit` and `storedText` versions: they wait for a person. */
  remaining: number;
}

/** A version left unsigned for its stored text: named by license id and version, never a value of it. */
export type { StoredTextVersion } from '../stages/sign.js';

/** The signer a name on the command line means: a signer name, or a configured seal id. */
export function findSigner(config: Readonly<Config>, nameOrSeal: string): [string, SignerConfig] {
  const byName = config.signers[nameOrSeal];
  if (byName) return [nameOrSeal, byName];
  const bySeal = Object.entries(config.signers).find(([, s]) => s.sealId === nameOrSeal);
  if (bySeal) return bySeal;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `sign: no signer or seal id \`${nameOrSeal}\` in the config (signers: ${Object.keys(config.signers).join(', ') || 'none'})`,
  );
}

/** The config's ledger, migrated, for the length of `work`. */
export async function withLedger<T>(
  config: Readonly<Config>,
  logger: Logger,
  work: (l: Ledger) => Promise<T>,
): Promise<T> {
  const ledger = await openConfigLedger(config, { logger });
  try {
    await ledger.migrate();
    await recordConfigChange(config, ledger.configChanges, logger);
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

export interface SignPassOptions {
  ledger: Ledger;
  signer: Signer;
  sealId: string;
  /** Next page of version ids after the given id. */
  nextPage(afterVersionId: number, limit: number): Promise<number[]>;
  pageSize: number;
  /** Stop after this many signatures. */
  limit?: number;
  progress?: Pick<PassProgress, 'add'>;
  /** Checked between pages (SIGINT/SIGTERM ask to stop cleanly). */
  stopping?: () => boolean;
  /**
   * Sign only the versions of `pipeline` whose recorded issuing unit is `code`, the signer's
   * (pipelines/seal-units.ts `signerUnitCode`); the others are left unsigned, counted and named.
   */
  unit?: { code: string; pipeline: string };
}

export interface SignPassResult {
  signed: number;
  /** Signatures another process recorded first (the ledger kept theirs). */
  skipped: number;
  otherUnit: number;
  otherUnits: OtherUnitVersion[];
  storedText: number;
  storedTexts: StoredTextVersion[];
}

/** A pass that signed nothing: what a pipeline with nothing to do, or not started, reports. */
export const NOTHING_PASSED: Readonly<SignPassResult> = Object.freeze({
  signed: 0,
  skipped: 0,
  otherUnit: 0,
  otherUnits: [],
  storedText: 0,
  storedTexts: [],
});

/** Warns of the versions a pass left for their stored text: license ids and versions only. */
export function storedTextWarning(
  logger: Logger,
  command: string,
  pass: { pipeline: string | null; signer: string },
  result: Pick<SignPassResult, 'storedText' | 'storedTexts'>,
): void {
  if (result.storedText === 0) return;
  logger.warn(
    { ...pass, versions: result.storedText, first: result.storedTexts.slice(0, 5) },
    `${command}: ${result.storedText} version(s) left unsigned: their stored license text is corrupt [LB_STORED_TEXT]; restore it from a backup of the ledger and run ${command} again`,
  );
}

async function signPage(
  o: SignPassOptions,
  ids: number[],
  result: SignPassResult,
): Promise<StoredSignature[]> {
  // Each text read and checked against its content hash as the sign stage does (signable): signed
  // as it reads, an edited text became the unit's license under the content hash of the text it
  // replaced, and one that does not read threw out of the whole pass. Those are counted and named.
  const { sound: versions, corrupt, bytesOf, issuerOf } = signableVersions(await o.ledger.getVersions(ids));
  if (corrupt.length > 0) nameStoredTexts(result, corrupt);
  const unit = o.unit;
  if (versions.length === 0) return [];
  if (unit === undefined) return signReadVersions(o.signer, o.sealId, versions, bytesOf);
  // A string compare a version, its unit read from its issuer's text where signable gave it (the
  // license is then not parsed); the others are named only when a page holds any.
  const { own, others } = byUnit(versions, unit.pipeline, unit.code, (v) => issuerUnit(v, issuerOf.get(v)));
  if (others.length > 0) {
    result.otherUnit += others.length;
    result.otherUnits.push(...others.slice(0, OTHER_UNIT_LISTED - result.otherUnits.length));
  }
  return own.length === 0 ? Promise.resolve([]) : signReadVersions(o.signer, o.sealId, own, bytesOf);
}

export async function signPass(o: SignPassOptions): Promise<SignPassResult> {
  const result: SignPassResult = { ...NOTHING_PASSED, otherUnits: [], storedTexts: [] };
  let after = 0;
  let taken = 0;
  let writing: Promise<void> = Promise.resolve();
  for (;;) {
    if (o.stopping?.()) break;
    const want = o.limit === undefined ? o.pageSize : Math.min(o.pageSize, o.limit - taken);
    if (want <= 0) break;
    let ids: number[];
    let rows: StoredSignature[];
    try {
      ids = await o.nextPage(after, want);
      rows = ids.length === 0 ? [] : await signPage(o, ids, result);
    } catch (e) {
      // The page being written is recorded before the failure ends the pass: left behind, its
      // write raced the ledger's close and the page, signed, was lost to the next run.
      await writing.catch(() => {});
      throw e;
    }
    if (ids.length === 0) break;
    after = ids[ids.length - 1] as number;
    // Signatures count against the limit; versions of another unit are passed over, not taken.
    taken += rows.length;
    // One write in flight: page N is recorded while page N+1 is read and signed.
    await writing;
    writing = o.ledger.recordSignatures(rows).then((inserted) => {
      result.signed += inserted;
      result.skipped += rows.length - inserted;
      o.progress?.add(rows.length);
      crashPoint('sign-page-recorded');
    });
    // Handled when awaited above; the no-op catch keeps a failed write from counting as unhandled meanwhile.
    writing.catch(() => {});
  }
  await writing;
  return result;
}
