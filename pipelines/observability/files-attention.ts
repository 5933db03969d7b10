/**
 * License versions left without their sealed file (docs/ofd.md). `sign files` leaves a version
 * without one on purpose when its face text does not fit the template or its stored text is
 * corrupt (LB_STORED_TEXT), and a version can also miss its file after a crash between sealing and
 * recording, a run before files were configured, or a seal refused as expired or revoked. Nothing
 * else ever comes back for them, so an unattended
 * deployment would keep licenses without their legal document for good: `status` counts them.
 *
 * A pipeline owes files when the config names a file store (`licenseFiles.store`, which `sign
 * files` issues into) and its license type has a face template in the catalog — versions of a type
 * without one are skipped by `sign files`, so counting them would ask for what it never does.
 */
import { readFileSync } from 'node:fs';
import { readCertificate } from '../../adapters/signers/certificate.js';
import { certificateDer, checkSeal, sealListsCertificate } from '../../adapters/signers/ses/check-seal.js';
import { decodeSeal, type SesSeal } from '../../adapters/signers/ses/seal-format.js';
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
 * Whether `sign files` would open seal `name` now: not revoked or lost, its file there and a GB/T
 * 38540 seal passing the checks it makes before signing (checkSeal: the maker's signature, the seal
 * made and within its validity), listing its signer's configured certificate when that can be read
 * (a signer with none, or one unreadable, is judged as the signer opens: not here, on local files).
 */
function sealOpensNow(config: Readonly<Pick<Config, 'seals' | 'signers'>>, name: string, now: Date): boolean {
  const conf = config.seals?.[name];
  if (conf === undefined || conf.status !== 'active') return false;
  let seal: SesSeal;
  try {
    seal = decodeSeal(readFileSync(conf.file));
  } catch {
    return false;
  }
  if (checkSeal(seal, now).problems.length > 0) return false;
  const certificate = config.signers[conf.signer]?.certificate;
  if (certificate === undefined) return true;
  try {
    return sealListsCertificate(seal, certificateDer(readCertificate(conf.signer, certificate).pem));
  } catch {
    return true;
  }
}

/**
 * The seal `sign files` would be given for a pipeline: the one seal of its signer that `sign files`
 * accepts now, else a placeholder for the person to fill in (several such seals, or none). Counting
 * every seal marked active named an expired one `sign files` refuses, or `<seal>` beside the one it
 * takes.
 */
export function sealFor(
  config: Readonly<Pick<Config, 'seals' | 'signers'>>,
  signer: string,
  now: Date,
): string {
  const usable = Object.entries(config.seals ?? {}).filter(
    ([name, s]) => s.signer === signer && sealOpensNow(config, name, now),
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
  now: Date,
): Promise<Attention[]> {
  if (!owesFiles(config, pipeline, faceTypes)) return [];
  const missing = await ledger.licenseFiles.countWithoutFile(name);
  if (missing === 0) return [];
  // Ledger keys and counts only: which licenses they are is `sign files`' to say, never their values.
  return [
    {
      kind: 'files-missing',
      message: `pipeline ${name}: ${missing} license version(s) have no sealed license file; \`licbridge sign files --seal ${sealFor(config, pipeline.signer, now)} --pipeline ${name}\` issues them (and names any whose face text does not fit its template box or whose stored text is corrupt, with what to change)`,
    },
  ];
}
