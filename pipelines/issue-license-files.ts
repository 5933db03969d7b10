/**
 * Issuing sealed license files for ledger versions that have none (stock licenses, e-license
 * rules art. 6): each page of versions is laid out from its type's face template, sealed in one
 * signer call, written to the file store, then recorded in the ledger with SM3 and size.
 *
 * Resumable and idempotent like signature backfill: the ledger says which versions have a file,
 * so a rerun issues only the rest. A run killed between writing a page's files and recording
 * them leaves files the ledger does not know; the rerun issues those versions again and each new
 * file replaces the old one atomically at the same path — one file per version, always.
 *
 * A version whose face text does not fit its box even shrunk to the box's `minSize` is issued no
 * file (a sealed face must not show a cut value): counted and named in the summary by license,
 * version and box, never by value, and left without a file for a rerun once the template is fixed.
 * If a killed run had already written its file (not recorded), that file is removed: the ledger,
 * which lists no file for it, stays the truth about the store. So is a version whose stored text
 * is corrupt (it does not read, or no longer hashes to its version's content hash, as the sign
 * stage checks it: LB_STORED_TEXT): the rest of its page is issued, and it waits for its text to
 * be restored.
 *
 * Under the store's lock, before the first page: temporary files a killed run left mid-batch are
 * removed (counted, never named: each is a whole sealed license), and the first files the ledger
 * lists are looked for in this store. The ledger keeps a file's path relative to the store root,
 * not the root: a run given another root than the one the files went to would find nothing to
 * issue and report success while the operator's store stays empty, so it counts them instead.
 *
 * Here: the seal opened and checked against the face templates, and the commands' entry points;
 * the pages themselves are issued in issue-file-pages.ts.
 */
import { createSigner } from '../adapters/signers/create-signer.js';
import { SealSigner } from '../adapters/signers/ses/seal-signer.js';
import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Ledger } from '../ledger/ledger.js';
import { catalogStampFitProblem } from './catalog-stamp-fit.js';
import { recordConfigChange } from './config-audit.js';
import { openConfigLedger } from './config-ledger.js';
import { issuePages } from './issue-file-pages.js';
import { lifecycleSettings } from './lifecycle/settings.js';
import { type OtherUnitVersion, pipelinesForSeal, sealCodeFor, sealUnit, unitCode } from './seal-units.js';
import type { StoredTextVersion } from './stages/sign.js';

export { FACE_OVERFLOW_LISTED, OTHER_UNIT_LISTED, STORE_CHECKED } from './issue-file-pages.js';

export interface IssueFilesOptions {
  /** Root folder of the file store. */
  storeRoot: string;
  pipeline?: string;
  pageSize: number;
  /** Stop after this many files. */
  limit?: number;
  /** Checked between pages: finish the page in flight, then stop. */
  stopping?: () => boolean;
  onPage?: (issued: number) => void;
}

/** A version left without a file: its face's text does not fit the template. */
export interface FaceOverflowVersion {
  licenseId: string;
  version: number;
  /** The boxes cut, as `texts[i] (field)`: field paths, never the values (personal data). */
  boxes: string[];
}

/** A version left without a file: the unit recorded with it is not the seal's. */
export type { OtherUnitVersion } from './seal-units.js';
/** A version left without a file: its stored license text is corrupt (named as `sign backfill` names it). */
export type { StoredTextVersion } from './stages/sign.js';

export interface IssueFilesSummary {
  issued: number;
  /** Versions whose license type has no face template in the catalog. */
  withoutTemplate: number;
  /**
   * Versions issued no file because a text of their face does not fit its box even at the box's
   * `minSize`: a sealed face must not show a cut value. They keep no file, so a rerun after the
   * template is fixed issues them.
   */
  faceOverflow: number;
  /** The first of them (up to `FACE_OVERFLOW_LISTED`). */
  faceOverflows: FaceOverflowVersion[];
  /**
   * Versions issued no file because the issuing unit recorded with them is not the seal's (the
   * pipeline's issuer changed since they were written, or the seal is of another unit than the
   * pipeline's issuer). They wait for a seal of their own unit.
   */
  otherUnit: number;
  /** The first of them (up to `OTHER_UNIT_LISTED`). */
  otherUnits: OtherUnitVersion[];
  /**
   * Versions issued no file because their stored license text is corrupt [LB_STORED_TEXT]: it does
   * not read, or no longer hashes to the content hash its version records (edited by hand, restored
   * from another copy), as the sign stage judges it (pipelines/reconcile/stored-text.ts). Sealed,
   * the file would show a license other than the one signed and delivered. They keep no file, so a
   * rerun after the text is restored issues them.
   */
  storedText: number;
  /** The first of them (up to `STORED_TEXT_LISTED`), by license id, version and what is wrong: never a value. */
  storedTexts: StoredTextVersion[];
  bytes: number;
  /** Temporary files of a run killed mid-batch, removed from the store. */
  leftoversRemoved: number;
  /**
   * Files of versions the ledger lists no file for (written by a killed run before it recorded
   * them) removed because this run refused those versions (face overflow, no template, another
   * unit, a corrupt stored text), or because it put their files on their shelves and these were
   * where the layout before shelves put them.
   */
  unlistedRemoved: number;
  /**
   * Of the first files the ledger lists (up to `STORE_CHECKED`, in this run's pipeline or all),
   * how many are not in this store: issued into another store root, or lost from this one.
   */
  notInStore: number;
}

/** A seal opened and checked, with the catalog's face templates: issues pages of files until done. */
export interface LicenseFileIssuer {
  issue(ledger: Ledger, options: IssueFilesOptions, logger: Logger): Promise<IssueFilesSummary>;
  close(): Promise<void>;
}

/**
 * Opens the named seal and loads the catalog. Every refusal (unknown seal, revoked, lost, expired,
 * not the signer's seal, a seal of another issuing unit than the pipeline's or of a unit that
 * cannot be told without `--pipeline` (pipelines/seal-units.ts), a seal whose stamp would reach
 * past the page of a template it would seal) happens here, so a caller that opens the issuer
 * first — `sign backfill --files` before its signatures — stops before doing any work. `command`
 * prefixes the messages; `pipeline` (`--pipeline`) is the one pipeline sealed, else those of the
 * seal's unit, whose templates alone are checked.
 */
export async function openLicenseFileIssuer(
  config: Readonly<Config>,
  sealName: string,
  command = 'sign files',
  pipeline?: string,
): Promise<LicenseFileIssuer> {
  const sealConfig = config.seals[sealName];
  if (!sealConfig) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `${command}: no seal \`${sealName}\` in the config (seals: ${Object.keys(config.seals).join(', ') || 'none'})`,
    );
  }
  const signerConfig = config.signers[sealConfig.signer];
  if (!signerConfig) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `${command}: seal ${sealName} names signer \`${sealConfig.signer}\`, which the config does not define`,
    );
  }
  const catalog = await loadCatalog(config.catalog);
  const seal = new SealSigner(sealName, sealConfig, await createSigner(sealConfig.signer, signerConfig));
  await seal.open();
  let sealed: string[];
  let unit: ReturnType<typeof sealUnit>;
  try {
    unit = sealUnit(config, sealConfig.signer, seal.holderCertificatePem);
    sealed = pipelinesForSeal(config, sealName, unit, pipeline, command);
    sealFitsTemplates(config, catalog, seal, command, sealed);
  } catch (e) {
    await seal.close();
    throw e;
  }
  const others = Object.keys(config.pipelines).filter((n) => !sealed.includes(n));
  // A file's creation date is its signing day on the department's clock, like every other day.
  const { timeZone } = lifecycleSettings(config);
  return {
    issue: (ledger, options, logger) => {
      if (options.pipeline === undefined && others.length > 0) {
        logger.warn(
          { seal: sealName, sealed, others },
          `${command}: seal ${sealName} seals the licenses of its own issuing unit only (pipelines ${sealed.join(', ')}); pipelines ${others.join(', ')} are left for a seal of their unit`,
        );
      }
      if (options.pipeline !== undefined && !sealed.includes(options.pipeline)) {
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `${command}: seal ${sealName} was opened for pipelines ${sealed.join(', ')}, not ${options.pipeline}`,
        );
      }
      const pipelines = options.pipeline !== undefined ? [options.pipeline] : sealed;
      const codes = new Map(pipelines.map((n) => [n, { unit: sealCodeFor(config, unit, n) }]));
      for (const [n, { unit: code }] of codes) {
        const now = unitCode(config.pipelines[n]?.issuer.code ?? '');
        if (now === code) continue;
        logger.warn(
          { seal: sealName, pipeline: n, unit: code, issuer: now },
          `${command}: seal ${sealName} belongs to the issuing unit ${code}; pipeline ${n}'s licenses are issued by ${now} now, so only its versions written when ${code} issued them are sealed`,
        );
      }
      return issuePages(catalog, seal, sealName, command, timeZone, ledger, codes, options, logger);
    },
    close: () => seal.close(),
  };
}

/**
 * Refuses a seal whose stamp, at its own size centred on the seal box, would reach past the page
 * of a face template it would seal: those of the license types of the `sealed` pipelines.
 * Checked once, before the first file, instead of stopping a run at the first page holding that
 * type.
 */
function sealFitsTemplates(
  config: Readonly<Config>,
  catalog: Catalog,
  seal: SealSigner,
  command: string,
  sealed: readonly string[],
): void {
  const { widthMm, heightMm } = seal.seal.info.picture;
  const pipelines = sealed.map((n) => config.pipelines[n]);
  const types = new Set(pipelines.flatMap((p) => (p ? [p.licenseType] : [])));
  for (const code of types) {
    const problem = catalogStampFitProblem(catalog, code, { name: seal.name, widthMm, heightMm });
    if (problem !== null) throw new LicbridgeError(ErrorCodes.CATALOG_INVALID, `${command}: ${problem}`);
  }
}

export async function issueFilesBackfill(
  config: Readonly<Config>,
  ledger: Ledger,
  options: IssueFilesOptions & { seal: string },
  logger: Logger,
): Promise<IssueFilesSummary> {
  const issuer = await openLicenseFileIssuer(config, options.seal, 'sign files', options.pipeline);
  try {
    return await issuer.issue(ledger, options, logger);
  } finally {
    await issuer.close();
  }
}

/** `licbridge sign files`: the config's ledger opened (and migrated) for one backfill of files. */
export async function issueFilesForConfig(
  config: Readonly<Config>,
  options: IssueFilesOptions & { seal: string },
  logger: Logger,
): Promise<IssueFilesSummary> {
  const ledger = await openConfigLedger(config, { logger });
  try {
    await ledger.migrate();
    await recordConfigChange(config, ledger.configChanges, logger);
    return await issueFilesBackfill(config, ledger, options, logger);
  } finally {
    await ledger.close();
  }
}
