/**
 * `config check`: a pipeline whose signer belongs to another issuing unit than the pipeline's
 * issuer. The sign stage and `sign backfill` sign a version only with a signer of the unit
 * recorded with it (pipelines/seal-units.ts `signerUnitCode`), and a run's versions carry the
 * pipeline's issuer: with such a signer every version of the pipeline is left unsigned and
 * undelivered, and each sweep queues it again. Found here, before the first run.
 *
 * A signer's unit is the credit code its certificate states in the subject's `serialNumber`, as
 * the signers read it. config check reads local files only, no secret and no server: a signer's
 * configured `certificate` file; for a signing server whose certificate is the server's own
 * (`remote` without `certificate`), the holder certificates a seal of that signer lists, since
 * the seal lists the certificate the signer signs with. A certificate that states no code leaves
 * the unit to the pipelines (`sealUnit`), which never disagrees with them: nothing to report.
 */
import { readFileSync } from 'node:fs';
import { certificatePem } from '../adapters/signers/ses/check-seal.js';
import { decodeSeal } from '../adapters/signers/ses/seal-format.js';
import { problemAt, type YamlSource } from '../catalog/yaml-source.js';
import type { Config, SignerConfig } from '../config/types.js';
import type { Problem } from '../core/errors.js';
import { certificateUnitCode, unitCode } from './seal-units.js';

/** A signer's unit as config check can tell it, and where it was read (for the message). */
interface ToldUnit {
  code: string;
  from: string;
}

/** The credit code a PEM certificate file states; null when unreadable or stating none. */
function certificateFileUnit(file: string): string | null {
  try {
    return certificateUnitCode(readFileSync(file, 'utf8'));
  } catch {
    // An unreadable certificate is reported by the signer's own check.
    return null;
  }
}

/**
 * The one unit the holder certificates of seal file `file` state; null when the file is not
 * there or no seal, when it lists digests only (certListType 2) or a certificate stating no code,
 * or when its certificates state several units.
 */
function sealFileUnit(file: string): string | null {
  let listed: Uint8Array[];
  try {
    const seal = decodeSeal(readFileSync(file));
    if (seal.info.holderCertificateDigests.length > 0) return null;
    listed = seal.info.holderCertificates;
  } catch {
    return null;
  }
  const codes = new Set(listed.map((der) => certificateUnitCode(certificatePem(der))));
  const [code] = [...codes];
  return codes.size === 1 && typeof code === 'string' ? code : null;
}

function signerUnit(config: Readonly<Config>, name: string, signer: SignerConfig): ToldUnit | null {
  if (signer.certificate !== undefined) {
    const code = certificateFileUnit(signer.certificate);
    return code === null
      ? null
      : { code, from: `its certificate ${signer.certificate} states (subject serialNumber)` };
  }
  // A local key without a certificate states no unit; a signing server's is the server's.
  if (signer.kind !== 'remote') return null;
  for (const [sealName, seal] of Object.entries(config.seals)) {
    if (seal.signer !== name) continue;
    const code = sealFileUnit(seal.file);
    if (code !== null) {
      return {
        code,
        from: `the holder certificates seal ${sealName} (${seal.file}) lists state (subject serialNumber; the signer's own certificate is its signing server's, which config check does not ask for)`,
      };
    }
  }
  return null;
}

/** Each pipeline whose signer's told unit is not its issuer's, located at the pipeline's `signer`. */
export function signerUnitProblems(configSrc: YamlSource, config: Readonly<Config>): Problem[] {
  const told = new Map<string, ToldUnit | null>();
  const out: Problem[] = [];
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    const signer = config.signers[pipeline.signer];
    if (signer === undefined) continue;
    if (!told.has(pipeline.signer)) told.set(pipeline.signer, signerUnit(config, pipeline.signer, signer));
    const unit = told.get(pipeline.signer);
    const issuer = unitCode(pipeline.issuer.code);
    if (unit === undefined || unit === null || unit.code === issuer) continue;
    out.push(
      problemAt(
        configSrc,
        ['pipelines', name, 'signer'],
        `signer ${pipeline.signer} belongs to the issuing unit ${unit.code}, as ${unit.from}, and pipeline ${name}'s licenses are issued by ${issuer} (issuer.code): a license is signed only by a signer of its own issuing unit, so every version of this pipeline would be left unsigned and undelivered, queued again by each sweep; name a signer of ${issuer} here, or correct issuer.code`,
      ),
    );
  }
  return out;
}
