/**
 * The pages of `sign files` (pipelines/issue-license-files.ts), under the file store's lock: the
 * leftovers of a killed run removed and the ledger's first files looked for in this store, then
 * page after page of versions without a file laid out, sealed, written to the store and recorded
 * in the ledger. Versions refused (a stored text that is corrupt, another issuing unit, no face
 * template, face text that does not fit) are counted and any file a killed run wrote for them is
 * removed.
 */
import { LicenseFileStore, type StoredFile } from '../adapters/documents/file-store.js';
import { issueFittingLicenseFiles } from '../adapters/documents/ofd/issue-license-file.js';
import { storeOverlapped } from '../adapters/documents/overlapped-pages.js';
import type { SealSigner } from '../adapters/signers/ses/seal-signer.js';
import type { Catalog } from '../catalog/catalog.js';
import type { FaceTemplate } from '../catalog/face-template.js';
import { crashPoint } from '../core/crash-point.js';
import type { Logger } from '../core/logger.js';
import type { Ledger, StoredVersion } from '../ledger/ledger.js';
import type { StoredLicenseFile } from '../ledger/license-files.js';
import {
  discardUnlisted,
  fileOf,
  noteOtherUnit,
  noteStoredText,
  refusedFiles,
} from './issue-file-refusals.js';
import type { IssueFilesOptions, IssueFilesSummary } from './issue-license-files.js';
import { storedText } from './reconcile/stored-text.js';
import { byUnit } from './seal-units.js';
import { partByStoredText } from './stages/sign.js';

/** At most this many versions are named in a summary; `faceOverflow` counts them all. */
export const FACE_OVERFLOW_LISTED = 20;

export { OTHER_UNIT_LISTED } from './seal-units.js';

/** How many of the files the ledger lists a run looks for in its store before issuing. */
export const STORE_CHECKED = 100;

/**
 * Issues the files of `pipelines` (those the seal may seal: pipelines/seal-units.ts), each mapped
 * to the unit whose versions the seal seals there and its license type, with `seal`, holding the
 * store's lock while it does. A version is sealed only when the unit recorded with it is that one.
 */
export async function issuePages(
  catalog: Catalog,
  seal: SealSigner,
  sealName: string,
  command: string,
  timeZone: string,
  ledger: Ledger,
  pipelines: ReadonlyMap<string, PipelineSealed>,
  options: IssueFilesOptions,
  logger: Logger,
): Promise<IssueFilesSummary> {
  const store = new LicenseFileStore(options.storeRoot);
  // One issuing run per store: a second would replace files the first recorded.
  const release = await store.lock();
  try {
    const pages = { catalog, seal, sealName, command, timeZone, ledger, store, options, logger };
    const summary = await prepareStore(pages);
    // One pipeline after another, each paged by version id: the ledger's rows of pipelines of
    // other issuing units are never read, so never sealed with this seal.
    for (const [pipeline, sealed] of pipelines) await issueLocked(pages, pipeline, sealed, summary);
    return summary;
  } finally {
    await release();
  }
}

/** What a pipeline's versions are sealed as: the unit whose versions the seal seals. */
export interface PipelineSealed {
  unit: string;
}

interface Pages {
  catalog: Catalog;
  seal: SealSigner;
  sealName: string;
  command: string;
  timeZone: string;
  ledger: Ledger;
  store: LicenseFileStore;
  options: IssueFilesOptions;
  logger: Logger;
}

/** Before the first page: a killed run's leftovers removed, the ledger's first files looked for. */
async function prepareStore({ command, ledger, store, options, logger }: Pages): Promise<IssueFilesSummary> {
  const summary: IssueFilesSummary = {
    issued: 0,
    withoutTemplate: 0,
    faceOverflow: 0,
    faceOverflows: [],
    otherUnit: 0,
    otherUnits: [],
    storedText: 0,
    storedTexts: [],
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
  return summary;
}

/** A page laid out and sealed, to store and then record. */
interface MadePage {
  fitting: { version: StoredVersion; file: Buffer }[];
  /** Read before any file is written (`make`). */
  pipelines: string[];
  signedAt: Date;
}

/**
 * Pages of `pipeline`'s versions without a file, issued until none is left, the limit or a stop;
 * those whose recorded issuing unit is not `unit` (the seal's) are left, counted and named. Each
 * page is laid out and sealed while the one before is being written to the store, and recorded
 * only once its files are in place (adapters/documents/overlapped-pages.ts).
 */
async function issueLocked(
  pages: Pages,
  pipeline: string,
  sealed: PipelineSealed,
  summary: IssueFilesSummary,
): Promise<void> {
  const { sealName, command, ledger, store, options, logger } = pages;
  const cursor = { after: 0 };
  // Files of the page being stored: not issued yet, but counted against the limit.
  let storing = 0;
  await storeOverlapped<MadePage, StoredFile[]>({
    make: () => makePage(pages, pipeline, sealed, summary, cursor, storing),
    stopping: () => options.stopping?.() ?? false,
    store: (page) => {
      storing = page.fitting.length;
      return store.putMany(
        page.fitting.map((w) => ({
          typeCode: w.version.payload.type.code,
          licenseId: w.version.licenseId,
          version: w.version.version,
          bytes: w.file,
        })),
      );
    },
    record: async ({ fitting, pipelines, signedAt }, stored) => {
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
        const f = stored[i] as StoredFile;
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
      storing = 0;
      summary.issued += records.length;
      summary.bytes += records.reduce((n, r) => n + r.size, 0);
      crashPoint('files-page-recorded');
      options.onPage?.(summary.issued);
      logger.debug({ issued: summary.issued }, 'sign files: page recorded');
    },
  });
}

/**
 * The next page of `pipeline`'s versions with files to store, laid out and sealed (versions
 * refused on the way counted, and any file a killed run wrote for them removed), or null when
 * none is left, the limit is reached (counting the `storing` files of the page in flight) or the
 * run stops.
 */
async function makePage(
  pages: Pages,
  pipeline: string,
  { unit }: PipelineSealed,
  summary: IssueFilesSummary,
  cursor: { after: number },
  storing: number,
): Promise<MadePage | null> {
  const { catalog, seal, command, timeZone, ledger, store, options, logger } = pages;
  while (!(options.stopping?.() ?? false)) {
    const room =
      options.limit === undefined
        ? options.pageSize
        : Math.min(options.pageSize, options.limit - summary.issued - storing);
    if (room <= 0) break;
    const versions = await ledger.licenseFiles.withoutFile({
      pipeline,
      afterVersionId: cursor.after,
      limit: room,
    });
    if (versions.length === 0) break;
    cursor.after = versions[versions.length - 1]?.versionId ?? cursor.after;
    // Each text checked as the sign stage checks it (reconcile/stored-text.ts) before any value
    // of it is read: sealed as it reads, an edited text became a sealed license other than the
    // one signed and delivered; one that does not read threw out of every run at this page; and
    // a unit or type read from an edited text (an issuer of null, a code changed) threw, or
    // named the version another unit's. So a corrupt version is refused as corrupt whatever its
    // unit: after a restore, a version of another unit is refused as such.
    const { sound, corrupt } = partByStoredText(versions, (v) => storedText(v, true));
    if (corrupt.length > 0) noteStoredText(corrupt, summary, command, logger);
    // Each version's unit read once: the own ones to issue, the others named and refused.
    const { own, others, otherVersions } = byUnit(sound, pipeline, unit);
    if (others.length > 0) noteOtherUnit(others, summary, command, unit, logger);
    // Versions refused here get no file: one a killed run wrote for them is removed.
    const refused = [...corrupt.map((c) => c.version), ...otherVersions].flatMap(refusedFiles);
    const work: { version: StoredVersion; template: FaceTemplate }[] = [];
    for (const v of own) {
      const face = catalog.get(v.payload.type.code)?.face;
      if (face) work.push({ version: v, template: face });
      else {
        summary.withoutTemplate++;
        refused.push(...refusedFiles(v));
      }
    }
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
    refused.push(...work.filter((_, i) => outcomes[i]?.overflows).map((w) => fileOf(w.version)));
    await discardUnlisted(store, refused, summary, command, logger);
    const fitting = work.flatMap((w, i) => {
      const file = outcomes[i]?.file;
      return file ? [{ version: w.version, file }] : [];
    });
    if (fitting.length === 0) continue;
    // Read before any file is written: a version whose lineage does not read fails the page here,
    // with nothing on disk, instead of after its files were stored.
    const pipelines = fitting.map((w) => w.version.lineage.pipeline);
    return { fitting, pipelines, signedAt };
  }
  return null;
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
