/**
 * Re-signing (`licbridge sign resign`): selected versions signed again under another seal, their
 * existing signatures kept — after a seal change, so verifiers holding only the new certificate
 * can check older licenses. Resumable like backfill: the ledger's candidates are what is left.
 */
import type { Config, SignerConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { openRegisteredSigner } from '../signing-keys.js';
import {
  findSigner,
  type PassProgressFactory,
  type PassSummary,
  signPass,
  storedTextWarning,
  withLedger,
} from './pass.js';

/** What to re-sign, checked against the config before anything is opened. */
export interface ResignRequest {
  readonly signerName: string;
  readonly signerConfig: SignerConfig;
  readonly pipeline?: string;
  readonly licenseIds?: readonly string[];
  /** Only versions signed by this seal id. */
  readonly fromSealId?: string;
  /** Every version, not only each license's latest. */
  readonly allVersions: boolean;
}

/** Resolves the signer (a signer name or a seal id) and checks the pipeline; a usage error names what is unknown. */
export function resignRequest(
  config: Readonly<Config>,
  selection: {
    seal: string;
    pipeline?: string;
    licenseIds?: readonly string[];
    fromSealId?: string;
    allVersions?: boolean;
  },
): ResignRequest {
  const [signerName, signerConfig] = findSigner(config, selection.seal);
  if (selection.pipeline !== undefined && !config.pipelines[selection.pipeline]) {
    throw new LicbridgeError(ErrorCodes.USAGE, `sign: no pipeline \`${selection.pipeline}\` in the config`);
  }
  return {
    signerName,
    signerConfig,
    ...(selection.pipeline !== undefined ? { pipeline: selection.pipeline } : {}),
    ...(selection.licenseIds !== undefined ? { licenseIds: selection.licenseIds } : {}),
    ...(selection.fromSealId !== undefined ? { fromSealId: selection.fromSealId } : {}),
    allVersions: Boolean(selection.allVersions),
  };
}

export interface ResignOptions {
  /** Versions signed and recorded per ledger transaction. */
  pageSize: number;
  /** Stop after this many signatures. */
  limit?: number;
  /** Checked between pages: finish the page in flight, then stop. */
  stopping?: () => boolean;
  /** Given the versions the pass selects (at most `limit`), counted before the first page. */
  progress?: PassProgressFactory;
}

export async function resignVersions(
  config: Readonly<Config>,
  logger: Logger,
  request: ResignRequest,
  options: ResignOptions,
): Promise<PassSummary> {
  const { signerName, signerConfig } = request;
  const sealId = signerConfig.sealId;
  const { limit } = options;
  return withLedger(config, logger, async (ledger) => {
    const selection = {
      sealId,
      ...(request.pipeline !== undefined ? { pipeline: request.pipeline } : {}),
      ...(request.licenseIds !== undefined ? { licenseIds: request.licenseIds } : {}),
      ...(request.fromSealId !== undefined ? { fromSealId: request.fromSealId } : {}),
      allVersions: request.allVersions,
    };
    const signer = await openRegisteredSigner(ledger, signerName, signerConfig);
    try {
      // Counted up front as the backfill counts its pass: without a total a pass over a million
      // versions showed nothing until its summary.
      const todo = options.progress ? await ledger.countResignCandidates(selection) : 0;
      const progress = options.progress?.(
        { pipeline: request.pipeline ?? null, signer: signerName },
        Math.min(todo, limit ?? todo),
      );
      const result = await signPass({
        ledger,
        signer,
        sealId,
        pageSize: options.pageSize,
        ...(limit !== undefined ? { limit } : {}),
        ...(progress ? { progress } : {}),
        ...(options.stopping ? { stopping: options.stopping } : {}),
        nextPage: (after, n) => ledger.resignCandidates({ ...selection, afterVersionId: after, limit: n }),
      });
      progress?.finish();
      storedTextWarning(
        logger,
        'sign resign',
        { pipeline: request.pipeline ?? null, signer: signerName },
        result,
      );
      const remaining = await ledger.countResignCandidates(selection);
      return {
        pipeline: request.pipeline ?? null,
        signer: signerName,
        sealId,
        ...result,
        remaining,
      };
    } finally {
      await signer.close();
    }
  });
}
