/**
 * `verify --all` / `verify --license`: the ledger's selected versions checked against their
 * signatures (./signatures.ts), and the license files the ledger lists for them checked in the
 * file store (./license-files.ts). The run passes only when both pass and every listed file was
 * looked at: with no store known (`--store`, else `licenseFiles.store`) each listed file counts
 * as unchecked, which fails the run — "all valid" would claim what was not looked at. Files of
 * a seal the config marks revoked or lost are judged by its status (./seal-status.ts). With no
 * license selection, files in the store that no ledger row lists are counted and named
 * (./unlisted-files.ts): they fail nothing verified, and need a person (`attention`).
 */
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import { openConfigLedger } from '../config-ledger.js';
import { configuredFileStore } from '../stages/deliver-files.js';
import { type FilesSummary, verifyLicenseFiles } from './license-files.js';
import { countListedFiles } from './listed-files.js';
import { sealStandings } from './seal-status.js';
import { type VerifyOptions, type VerifySummary, verifySignatures } from './signatures.js';
import { configuredTrust } from './trust.js';
import { type UnlistedFiles, unlistedFiles } from './unlisted-files.js';

export interface LedgerVerifyRequest {
  pipeline?: string;
  /** Every version of these licenses; all versions when absent. */
  licenseIds?: readonly string[];
  /** Absolute root of the file store; absent, the config's `licenseFiles.store`. */
  store?: string;
}

/** License files of the selection: checked ones, and those not looked at for want of a store. */
export interface FilesReport extends FilesSummary {
  unchecked: number;
  /** Files in the store no ledger row lists; null when not looked for (no store, or `--license`). */
  unlisted: UnlistedFiles | null;
}

export interface LedgerVerifyReport {
  signatures: VerifySummary;
  files: FilesReport;
  /** Every signature valid, every listed file checked and valid. */
  ok: boolean;
  /** Nothing failed, yet something needs a person: files in the store no ledger row lists. */
  attention: boolean;
}

export async function verifyLedger(
  config: Readonly<Config>,
  request: LedgerVerifyRequest,
  logger: Logger,
  options: VerifyOptions = {},
): Promise<LedgerVerifyReport> {
  const selection = {
    ...(request.pipeline !== undefined ? { pipeline: request.pipeline } : {}),
    ...(request.licenseIds !== undefined ? { licenseIds: request.licenseIds } : {}),
  };
  // Read, never migrated (as audit verify reads it, pipelines/audit.ts): a ledger that is not there
  // (a mistyped SQLite path) was made new, and its no signatures and no files reported ok; one an
  // older release wrote is refused, naming the migrations not applied, rather than changed under
  // the workers still running that release.
  const ledger = await openConfigLedger(config, { logger, migrate: false });
  let signatures: VerifySummary;
  let files: FilesReport;
  try {
    signatures = await verifySignatures(config, ledger, selection, logger, options);
    const store = request.store ?? configuredFileStore(config);
    if (store !== undefined) {
      const checked = await verifyLicenseFiles(
        ledger,
        store,
        configuredTrust(config),
        selection,
        await sealStandings(config),
        // A caller told each signature's result prints only the files failed or with notes.
        options.onResult !== undefined,
      );
      const unlisted = request.licenseIds === undefined ? await unlistedFiles(ledger, store) : null;
      files = { ...checked, unchecked: 0, unlisted };
    } else {
      files = {
        checked: 0,
        failed: 0,
        results: [],
        unchecked: await countListedFiles(ledger, selection),
        unlisted: null,
      };
    }
  } finally {
    await ledger.close();
  }
  const ok = signatures.ok && files.failed === 0 && files.unchecked === 0;
  return { signatures, files, ok, attention: ok && (files.unlisted?.count ?? 0) > 0 };
}
