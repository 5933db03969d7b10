/**
 * Signature backfill (`licbridge sign backfill`): every ledger version without a signature by its
 * pipeline's seal is signed, pipeline after pipeline, and with `files` the same run then issues the
 * sealed license files of versions that have none. Resumable: the ledger says what is left.
 */
import type { Signer } from '../../adapters/signers/signer.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import {
  type IssueFilesSummary,
  type LicenseFileIssuer,
  openLicenseFileIssuer,
} from '../issue-license-files.js';
import { signerUnitCode } from '../seal-units.js';
import { openRegisteredSigner } from '../signing-keys.js';
import {
  NOTHING_PASSED,
  type PassProgressFactory,
  type PassSummary,
  signPass,
  storedTextWarning,
  withLedger,
} from './pass.js';

/** The pipelines a backfill signs: the one named, else every pipeline of the config. */
export function pipelinesToSign(config: Readonly<Config>, pipeline: string | undefined): string[] {
  const names = pipeline === undefined ? Object.keys(config.pipelines) : [pipeline];
  for (const n of names) {
    if (!config.pipelines[n])
      throw new LicbridgeError(ErrorCodes.USAGE, `sign: no pipeline \`${n}\` in the config`);
  }
  return names;
}

export interface BackfillFiles {
  /** A seal of the config's `seals:`. */
  seal: string;
  /** Root folder of the file store. */
  store: string;
  /** Files issued and recorded per ledger transaction. */
  pageSize: number;
  /** A display of the files issued: told the count after each page, then the end. */
  progress?: { page(issued: number): void; finish(): void };
}

export interface BackfillOptions {
  /** From `pipelinesToSign`. */
  pipelines: readonly string[];
  /** Only this pipeline's license files (`--pipeline`); files of every pipeline without it. */
  pipeline?: string;
  /** Versions signed and recorded per ledger transaction. */
  pageSize: number;
  /** Stop after this many signatures, over all pipelines. */
  limit?: number;
  /** Checked between pages: finish the page in flight, then stop. */
  stopping?: () => boolean;
  progress?: PassProgressFactory;
  files?: BackfillFiles;
}

export interface BackfillResult {
  passes: PassSummary[];
  files?: IssueFilesSummary;
}

export async function signBackfill(
  config: Readonly<Config>,
  logger: Logger,
  options: BackfillOptions,
): Promise<BackfillResult> {
  let limit = options.limit;
  const passes: PassSummary[] = [];
  const signers = new Map<string, Signer>();
  let issuer: LicenseFileIssuer | undefined;
  let files: IssueFilesSummary | undefined;
  try {
    // The seal is opened and checked first: a revoked, lost or expired seal stops the command
    // before its first signature, not after a long signature pass.
    if (options.files)
      issuer = await openLicenseFileIssuer(config, options.files.seal, 'sign backfill', options.pipeline);
    await withLedger(config, logger, async (ledger) => {
      for (const pipeline of options.pipelines) {
        const signerName = (config.pipelines[pipeline] as { signer: string }).signer;
        const signerConfig = config.signers[signerName];
        if (!signerConfig)
          throw new LicbridgeError(
            ErrorCodes.USAGE,
            `sign: pipeline ${pipeline}: no signer \`${signerName}\``,
          );
        const sealId = signerConfig.sealId;
        const todo = await ledger.countUnsignedVersions({ sealId, pipeline });
        // Asked to stop: the pipelines left are counted for the summary, their signers not opened
        // (a signing server asked for its key after the stop) nor a display drawn for them.
        if (todo === 0 || limit === 0 || options.stopping?.()) {
          passes.push({
            pipeline,
            signer: signerName,
            sealId,
            ...NOTHING_PASSED,
            remaining: todo,
          });
          continue;
        }
        let signer = signers.get(signerName);
        if (!signer) {
          // Every key, passphrase and certificate check runs here, before the first signature.
          signer = await openRegisteredSigner(ledger, signerName, signerConfig);
          signers.set(signerName, signer);
        }
        // A version is signed only by a signer of the unit recorded with it: after the pipeline's
        // issuer and signer changed, its older versions are the old unit's, not this key's.
        const unit = { code: signerUnitCode(config, signer, pipeline), pipeline };
        const progress = options.progress?.({ pipeline, signer: signerName }, Math.min(todo, limit ?? todo));
        const result = await signPass({
          ledger,
          signer,
          sealId,
          unit,
          pageSize: options.pageSize,
          ...(limit !== undefined ? { limit } : {}),
          ...(progress ? { progress } : {}),
          ...(options.stopping ? { stopping: options.stopping } : {}),
          nextPage: (after, n) =>
            ledger.unsignedVersionPage({ sealId, pipeline, afterVersionId: after, limit: n }),
        });
        progress?.finish();
        if (result.otherUnit > 0) {
          // License ids and codes only: never a holder's data.
          logger.warn(
            {
              pipeline,
              signer: signerName,
              unit: unit.code,
              versions: result.otherUnit,
              first: result.otherUnits.slice(0, 5),
            },
            `sign backfill: pipeline ${pipeline}: ${result.otherUnit} version(s) left unsigned: written for another issuing unit than signer ${signerName}'s (${unit.code}); sign them with a signer of their own unit`,
          );
        }
        storedTextWarning(logger, 'sign backfill', { pipeline, signer: signerName }, result);
        if (limit !== undefined) limit -= result.signed + result.skipped;
        passes.push({
          pipeline,
          signer: signerName,
          sealId,
          ...result,
          remaining: await ledger.countUnsignedVersions({ sealId, pipeline }),
        });
      }
      // Files after signatures, in the same run; the ledger says which versions have one, so
      // a rerun after any kill issues exactly the rest (pipelines/issue-license-files.ts).
      if (issuer && options.files) {
        const shown = options.files.progress;
        files = await issuer.issue(
          ledger,
          {
            storeRoot: options.files.store,
            pageSize: options.files.pageSize,
            ...(options.stopping ? { stopping: options.stopping } : {}),
            ...(options.pipeline !== undefined ? { pipeline: options.pipeline } : {}),
            ...(shown ? { onPage: (issued: number) => shown.page(issued) } : {}),
          },
          logger,
        );
        shown?.finish();
      }
    });
  } finally {
    for (const s of signers.values()) await s.close();
    await issuer?.close();
  }
  return { passes, ...(files ? { files } : {}) };
}
