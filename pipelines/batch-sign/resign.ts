/**
 * Re-signing (`licbridge sign resign`): selected versions signed again under another seal, their
 * existing signatures kept — after a seal change, so verifiers holding only the new certificate
 * can check older licenses. Resumable like backfill: the ledger's candidates are what is left.
 */
import type { Config, SignerConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
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
  // A version is re-signed only when the seal signing has not signed it: from a seal to itself
  // selects nothing, whatever the ledger holds, and "signed 0" read as a job done. The seal being
  // replaced was meant.
  if (selection.fromSealId !== undefined && selection.fromSealId === signerConfig.sealId) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `sign resign: \`--from-seal\` ${selection.fromSealId} is the seal of \`--seal ${selection.seal}\`, which re-signs only versions it has not signed: nothing would be selected; give \`--from-seal\` the seal being replaced and \`--seal\` the one replacing it`,
    );
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

/** The most license ids a refusal names one by one; the rest are counted. */
const NAMED = 20;

function named(ids: readonly string[]): string {
  const more = ids.length - NAMED;
  return `${ids.slice(0, NAMED).join(', ')}${more > 0 ? ` … and ${more} more` : ''}`;
}

/**
 * A selection the ledger cannot answer is a mistake, refused before a signature: a license id it
 * does not hold (as `verify` fails it: "no such license in the ledger"), one it holds under
 * another pipeline than `--pipeline`. Each named, for a mistyped id signed nothing, said
 * "signed 0" and exited 0, as if the job were done.
 */
async function checkLicenses(ledger: Ledger, request: ResignRequest): Promise<void> {
  if (request.licenseIds === undefined) return;
  const wanted = [...new Set(request.licenseIds)];
  const held = await ledger.pipelinesOfLicenses(wanted);
  const missing = wanted.filter((id) => !held.has(id));
  const elsewhere =
    request.pipeline === undefined
      ? []
      : wanted.filter((id) => held.has(id) && held.get(id) !== request.pipeline);
  if (missing.length === 0 && elsewhere.length === 0) return;
  const problems = [
    ...(missing.length > 0 ? [`no such license in the ledger: ${named(missing)}`] : []),
    ...elsewhere
      .slice(0, NAMED)
      .map(
        (id) =>
          `${id}: not in pipeline ${request.pipeline}, it is in pipeline ${held.get(id)}; re-sign it with --pipeline ${held.get(id)}, or without --pipeline`,
      ),
    ...(elsewhere.length > NAMED ? [`… and ${elsewhere.length - NAMED} more in another pipeline`] : []),
  ];
  throw new LicbridgeError(ErrorCodes.USAGE, `sign resign: ${problems.join('; ')}; nothing was signed`);
}

/**
 * `--from-seal` naming a seal that signed no version (of `--pipeline`) is a mistyped seal id, not
 * a finished job. Asked only when the selection is empty: a seal that selects versions has signed.
 */
async function checkFromSeal(ledger: Ledger, request: ResignRequest): Promise<void> {
  const from = request.fromSealId;
  if (from === undefined) return;
  const counts = (await ledger.signatureCounts()).filter(
    (c) => request.pipeline === undefined || c.pipeline === request.pipeline,
  );
  if (counts.some((c) => c.sealId === from && c.count > 0)) return;
  const seals = [...new Set(counts.map((c) => c.sealId))].sort();
  const scope = request.pipeline === undefined ? 'in the ledger' : `of pipeline ${request.pipeline}`;
  throw new LicbridgeError(
    ErrorCodes.USAGE,
    `sign resign: no version ${scope} is signed by seal \`${from}\`; ${seals.length > 0 ? `the seals that signed: ${seals.join(', ')}` : 'none is signed by any seal yet'}`,
  );
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
    await checkLicenses(ledger, request);
    // Counted up front as the backfill counts its pass: without a total a pass over a million
    // versions showed nothing until its summary.
    const todo =
      options.progress || request.fromSealId !== undefined
        ? await ledger.countResignCandidates(selection)
        : 0;
    if (todo === 0) await checkFromSeal(ledger, request);
    const signer = await openRegisteredSigner(ledger, signerName, signerConfig);
    try {
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
