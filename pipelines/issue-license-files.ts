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
 * which lists no file for it, stays the truth about the store.
 *
 * Under the store's lock, before the first page: temporary files a killed run left mid-batch are
 * removed (counted, never named: each is a whole sealed license), and the first files the ledger
 * lists are looked for in this store. The ledger keeps a file's path relative to the store root,
 * not the root: a run given another root than the one the files went to would find nothing to
 * issue and report success while the operator's store stays empty, so it counts them instead.
 */
import { LicenseFileStore } from '../adapters/documents/file-store.js';
import { issueFittingLicenseFiles } from '../adapters/documents/ofd/issue-license-file.js';
import { createSigner } from '../adapters/signers/create-signer.js';
import { SealSigner } from '../adapters/signers/ses/seal-signer.js';
import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import type { Config } from '../config/types.js';
import { crashPoint } from '../core/crash-point.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Ledger, StoredVersion } from '../ledger/ledger.js';
import type { StoredLicenseFile } from '../ledger/license-files.js';
import { catalogStampFitProblem } from './catalog-stamp-fit.js';
import { recordConfigChange } from './config-audit.js';
import { openConfigLedger } from './config-ledger.js';
import { lifecycleSettings } from './lifecycle/settings.js';

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

/** At most this many versions are named in a summary; `faceOverflow` counts them all. */
export const FACE_OVERFLOW_LISTED = 20;

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
  bytes: number;
  /** Temporary files of a run killed mid-batch, removed from the store. */
  leftoversRemoved: number;
  /**
   * Files of versions the ledger lists no file for (written by a killed run before it recorded
   * them) removed because this run refused those versions (face overflow, no template), or because
   * it put their files on their shelves and these were where the layout before shelves put them.
   */
  unlistedRemoved: number;
  /**
   * Of the first files the ledger lists (up to `STORE_CHECKED`, in this run's pipeline or all),
   * how many are not in this store: issued into another store root, or lost from this one.
   */
  notInStore: number;
}

/** How many of the files the ledger lists a run looks for in its store before issuing. */
export const STORE_CHECKED = 100;

/** A seal opened and checked, with the catalog's face templates: issues pages of files until done. */
export interface LicenseFileIssuer {
  issue(ledger: Ledger, options: IssueFilesOptions, logger: Logger): Promise<IssueFilesSummary>;
  close(): Promise<void>;
}

/**
 * Opens the named seal and loads the catalog. Every refusal (unknown seal, revoked, lost, expired,
 * not the signer's seal, a seal whose stamp would reach past the page of a template it would
 * seal) happens here, so a caller that opens the issuer first — `sign backfill --files` before its
 * signatures — stops before doing any work. `command` prefixes the messages; `pipeline` (`--pipeline`)
 * limits the templates checked to its license type's.
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
  try {
    sealFitsTemplates(config, catalog, seal, command, pipeline);
  } catch (e) {
    await seal.close();
    throw e;
  }
  // A file's creation date is its signing day on the department's clock, like every other day.
  const { timeZone } = lifecycleSettings(config);
  return {
    issue: (ledger, options, logger) =>
      issuePages(catalog, seal, sealName, command, timeZone, ledger, options, logger),
    close: () => seal.close(),
  };
}

/**
 * Refuses a seal whose stamp, at its own size centred on the seal box, would reach past the page
 * of a face template it would seal: those of the license types of `pipeline`, or of every
 * pipeline. Checked once, before the first file, instead of stopping a run at the first page
 * holding that type.
 */
function sealFitsTemplates(
  config: Readonly<Config>,
  catalog: Catalog,
  seal: SealSigner,
  command: string,
  pipeline: string | undefined,
): void {
  const { widthMm, heightMm } = seal.seal.info.picture;
  const pipelines = pipeline === undefined ? Object.values(config.pipelines) : [config.pipelines[pipeline]];
  const types = new Set(pipelines.flatMap((p) => (p ? [p.licenseType] : [])));
  for (const code of types) {
    const problem = catalogStampFitProblem(catalog, code, { name: seal.name, widthMm, heightMm });
    if (problem !== null) throw new LicbridgeError(ErrorCodes.CATALOG_INVALID, `${command}: ${problem}`);
  }
}

async function issuePages(
  catalog: Catalog,
  seal: SealSigner,
  sealName: string,
  command: string,
  timeZone: string,
  ledger: Ledger,
  options: IssueFilesOptions,
  logger: Logger,
): Promise<IssueFilesSummary> {
  const store = new LicenseFileStore(options.storeRoot);
  // One issuing run per store: a second would replace files the first recorded.
  const release = await store.lock();
  try {
    return await issueLocked(catalog, seal, sealName, command, timeZone, ledger, store, options, logger);
  } finally {
    await release();
  }
}

async function issueLocked(
  catalog: Catalog,
  seal: SealSigner,
  sealName: string,
  command: string,
  timeZone: string,
  ledger: Ledger,
  store: LicenseFileStore,
  options: IssueFilesOptions,
  logger: Logger,
): Promise<IssueFilesSummary> {
  const summary: IssueFilesSummary = {
    issued: 0,
    withoutTemplate: 0,
    faceOverflow: 0,
    faceOverflows: [],
    bytes: 0,
    leftoversRemoved: 0,
    unlistedRemoved: 0,
    notInStore: 0,
  };
  summary.leftoversRemoved = await store.removeLeftovers();
  if (summary.leftoversRemoved > 0) {
    // A count only: the paths name licenses, and the files held their sealed personal data.
    logger.warn(
      { removed: summary.leftoversRemoved },
      `${command}: removed ${summary.leftoversRemoved} temporary file(s) left in the file store by an issuing run killed mid-batch`,
    );
  }
  summary.notInStore = await notInStore(ledger, store, options.pipeline);
  if (summary.notInStore > 0) {
    logger.warn(
      { missing: summary.notInStore, root: store.root },
      `${command}: files the ledger lists are not in this file store; the ledger keeps paths relative to the store root, so they were issued into another root (or lost from this one) and are not issued again`,
    );
  }
  let after = 0;
  while (!(options.stopping?.() ?? false)) {
    const room =
      options.limit === undefined
        ? options.pageSize
        : Math.min(options.pageSize, options.limit - summary.issued);
    if (room <= 0) break;
    const versions = await ledger.licenseFiles.withoutFile({
      ...(options.pipeline !== undefined ? { pipeline: options.pipeline } : {}),
      afterVersionId: after,
      limit: room,
    });
    if (versions.length === 0) break;
    after = versions[versions.length - 1]?.versionId ?? after;
    const work = versions.flatMap((v) => {
      const face = catalog.get(v.payload.type.code)?.face;
      if (!face) summary.withoutTemplate++;
      return face ? [{ version: v, template: face }] : [];
    });
    const refused = versions.filter((v) => !catalog.get(v.payload.type.code)?.face);
    if (work.length === 0) {
      await discardUnlisted(store, refused, summary, command, logger);
      continue;
    }
    const signedAt = new Date();
    const outcomes = await issueFittingLicenseFiles(
      work.map((w) => ({ license: w.version.payload, template: w.template })),
      seal,
      signedAt,
      timeZone,
    );
    // `after` is already past this page: a version refused here is not read again in this run,
    // and stays without a file for the run after the template is fixed.
    const cut = work.flatMap((w, i) => {
      const boxes = outcomes[i]?.overflows;
      return boxes ? [{ licenseId: w.version.licenseId, version: w.version.version, boxes }] : [];
    });
    if (cut.length > 0) {
      summary.faceOverflow += cut.length;
      summary.faceOverflows.push(...cut.slice(0, FACE_OVERFLOW_LISTED - summary.faceOverflows.length));
      // Field paths and ledger keys only: the values that did not fit are personal data.
      logger.warn(
        { versions: cut.length, first: cut.slice(0, 5) },
        `${command}: face text does not fit its box even at minSize; no file issued for these versions (widen the box, raise maxLines or lower minSize in the face template)`,
      );
    }
    refused.push(...work.filter((_, i) => outcomes[i]?.overflows).map((w) => w.version));
    await discardUnlisted(store, refused, summary, command, logger);
    const fitting = work.flatMap((w, i) => {
      const file = outcomes[i]?.file;
      return file ? [{ ...w, file }] : [];
    });
    if (fitting.length === 0) continue;
    // Read before any file is written: a version whose lineage does not read fails the page here,
    // with nothing on disk, instead of after its files were stored.
    const pipelines = fitting.map((w) => w.version.lineage.pipeline);
    const stored = await store.putMany(
      fitting.map((w) => ({
        typeCode: w.version.payload.type.code,
        licenseId: w.version.licenseId,
        version: w.version.version,
        bytes: w.file,
      })),
    );
    // A file a killed run of the layout before shelves left for one of these versions goes, now
    // that the version's file is on its shelf: one file per version.
    let former = 0;
    for (const w of fitting) {
      const { payload, licenseId, version } = w.version;
      if (await store.discardFormer(payload.type.code, licenseId, version)) former++;
    }
    if (former > 0) {
      summary.unlistedRemoved += former;
      logger.warn(
        { removed: former },
        `${command}: removed ${former} file(s) a killed run wrote in the layout before shelves but never recorded, for versions this run issued again`,
      );
    }
    // Test hook (core/crash-point.ts): files on disk that the ledger does not list yet.
    crashPoint('files-page-written');
    const records: StoredLicenseFile[] = fitting.map((w, i) => {
      const f = stored[i] as (typeof stored)[number];
      return {
        versionId: w.version.versionId,
        licenseId: w.version.licenseId,
        version: w.version.version,
        pipeline: pipelines[i] as string,
        path: f.path,
        sm3: f.sm3,
        size: f.size,
        seal: sealName,
        signedAt,
      };
    });
    await ledger.licenseFiles.record(records);
    summary.issued += records.length;
    summary.bytes += records.reduce((n, r) => n + r.size, 0);
    crashPoint('files-page-recorded');
    options.onPage?.(summary.issued);
    logger.debug({ issued: summary.issued }, 'sign files: page recorded');
  }
  return summary;
}

/**
 * Removes the files a killed run wrote for `refused` versions (read without a file, so no ledger
 * row lists one) before it could record them: sealed licenses nothing accounts for.
 */
async function discardUnlisted(
  store: LicenseFileStore,
  refused: readonly StoredVersion[],
  summary: IssueFilesSummary,
  command: string,
  logger: Logger,
): Promise<void> {
  let removed = 0;
  for (const v of refused) {
    try {
      if (await store.discard(v.payload.type.code, v.licenseId, v.version)) removed++;
    } catch (e) {
      // A name the store cannot hold (relativePath) was never written there.
      if (!(e instanceof RangeError)) throw e;
    }
  }
  if (removed === 0) return;
  summary.unlistedRemoved += removed;
  logger.warn(
    { removed },
    `${command}: removed ${removed} file(s) a killed run wrote but never recorded, for versions this run issues no file`,
  );
}

/** Of the first `STORE_CHECKED` files the ledger lists, how many are not in `store`. */
async function notInStore(
  ledger: Ledger,
  store: LicenseFileStore,
  pipeline: string | undefined,
): Promise<number> {
  const listed = await ledger.licenseFiles.list({
    ...(pipeline !== undefined ? { pipeline } : {}),
    limit: STORE_CHECKED,
  });
  let missing = 0;
  for (const f of listed) if (!(await store.has(f))) missing++;
  return missing;
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
