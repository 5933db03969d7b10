/**
 * License versions left without their sealed file (docs/ofd.md). `sign files` leaves a version
 * without one on purpose when its face text does not fit the template, and a version can also miss
 * its file after a crash between sealing and recording, a run before files were configured, or a
 * seal refused as expired or revoked. Nothing else ever comes back for them, so an unattended
 * deployment would keep licenses without their legal document for good: `status` counts them.
 *
 * A pipeline owes files when the config names a file store (`licenseFiles.store`, which `sign
 * files` issues into) and its license type has a face template in the catalog — versions of a type
 * without one are skipped by `sign files`, so counting them would ask for what it never does.
 */
import { loadCatalog } from '../../catalog/catalog.js';
import type { Config, PipelineConfig } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { Attention } from './attention.js';

/**
 * The license types whose catalog entry has a face template; undefined when the catalog cannot be
 * read (then every pipeline counts as owing files: `sign files` reports the catalog problem).
 */
export async function faceTemplateTypes(config: Readonly<Config>): Promise<ReadonlySet<string> | undefined> {
  try {
    const catalog = await loadCatalog(config.catalog);
    return new Set(catalog.entries().flatMap((e) => (e.face ? [e.code] : [])));
  } catch {
    return undefined;
  }
}

/** Whether `status` asks after the pipeline's files: a store is configured and its type has a face. */
export function owesFiles(
  config: Readonly<Pick<Config, 'licenseFiles'>>,
  pipeline: Readonly<Pick<PipelineConfig, 'licenseType'>>,
  faceTypes: ReadonlySet<string> | undefined,
): boolean {
  if (config.licenseFiles?.store === undefined) return false;
  return faceTypes === undefined || faceTypes.has(pipeline.licenseType);
}

/**
 * The seal `sign files` would be given for a pipeline: the one usable seal of its signer, else a
 * placeholder for the person to fill in (several seals, or none configured yet).
 */
export function sealFor(config: Readonly<Pick<Config, 'seals'>>, signer: string): string {
  const usable = Object.entries(config.seals ?? {}).filter(
    ([, s]) => s.signer === signer && s.status === 'active',
  );
  return usable.length === 1 ? (usable[0]?.[0] as string) : '<seal>';
}

/** `files-missing`: counted by the query `sign files` pages through, so the two never disagree. */
export async function filesMissingAttention(
  config: Readonly<Config>,
  ledger: Pick<Ledger, 'licenseFiles'>,
  name: string,
  pipeline: Readonly<PipelineConfig>,
  faceTypes: ReadonlySet<string> | undefined,
): Promise<Attention[]> {
  if (!owesFiles(config, pipeline, faceTypes)) return [];
  const missing = await ledger.licenseFiles.countWithoutFile(name);
  if (missing === 0) return [];
  // Ledger keys and counts only: which licenses they are is `sign files`' to say, never their values.
  return [
    {
      kind: 'files-missing',
      message: `pipeline ${name}: ${missing} license version(s) have no sealed license file; \`licbridge sign files --seal ${sealFor(config, pipeline.signer)} --pipeline ${name}\` issues them (and names any whose face text does not fit its template box, with what to change)`,
    },
  ];
}
