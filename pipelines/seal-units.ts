/**
 * Which pipelines' licenses a seal may seal. A license file sealed with another issuing unit's
 * seal is a wrong legal document that cannot be taken back once delivered, so `sign files` and
 * `sign backfill --files` seal only the licenses of the unit the seal belongs to.
 *
 * The seal's unit is what the seal's signer states: the credit code (GB 32100) in its
 * certificate's subject `serialNumber` (2.5.4.5), as `licbridge seal csr` writes it; else the one
 * issuer of the pipelines that sign with that same signer — the unit `seal csr` takes the subject
 * from. A seal's signer may differ from every pipeline's signer, and a CA may write the code
 * elsewhere: then the unit cannot be told, and only a pipeline named with `--pipeline` is sealed.
 *
 * The pipelines chosen say which versions are read, not which are sealed: each version is sealed
 * only when the issuing unit recorded with it is the seal's (`versionUnit`). A pipeline's issuer
 * in the config may have changed since its older versions were written (units merged, a code
 * corrected); those versions are licenses of the unit that issued them, never of this seal's.
 */
import { X509Certificate } from 'node:crypto';
import { isDescribedSigner, type Signer } from '../adapters/signers/signer.js';
import { isValidUscc } from '../catalog/holder-id.js';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';

/** The issuing unit a seal belongs to, and where that was read. */
export interface SealUnit {
  code: string;
  /** How the code was told, for messages: `its signer's certificate (subject serialNumber)`, … */
  from: string;
}

/** The credit code a certificate's subject states in `serialNumber`; null when none valid. */
export function certificateUnitCode(certificatePem: string): string | null {
  let subject: string;
  try {
    subject = new X509Certificate(certificatePem).subject;
  } catch {
    return null;
  }
  for (const line of subject.split('\n')) {
    const m = /^serialNumber=(.*)$/.exec(line);
    const code = m?.[1]?.trim().toUpperCase();
    if (code !== undefined && isValidUscc(code)) return code;
  }
  return null;
}

/**
 * The unit of a seal signed by `signer` (whose certificate is `certificatePem`, null for none),
 * and so of the signer itself; null when untold.
 */
export function sealUnit(
  config: Readonly<Pick<Config, 'pipelines'>>,
  signer: string,
  certificatePem: string | null,
): SealUnit | null {
  const stated = certificatePem === null ? null : certificateUnitCode(certificatePem);
  if (stated !== null)
    return { code: stated, from: `its signer ${signer}'s certificate (subject serialNumber)` };
  const signing = Object.entries(config.pipelines).filter(([, p]) => p.signer === signer);
  const codes = new Set(signing.map(([, p]) => unitCode(p.issuer.code)));
  const [code] = [...codes];
  if (codes.size !== 1 || code === undefined) return null;
  return {
    code,
    from: `the issuer of the pipelines its signer ${signer} signs for (${signing.map(([n]) => n).join(', ')})`,
  };
}

/** A credit code as compared: trimmed, in upper case. */
export function unitCode(code: string): string {
  return code.trim().toUpperCase();
}

/** The issuing unit one version records, as `issuePages` judges it. */
export interface VersionUnit {
  /** The issuer code of the version's payload (the pipeline's issuer when it was written). */
  issuer: string;
  /** The issuer code its license id carries (GB/T 36904), when it differs from `issuer`. */
  identifierIssuer?: string;
}

/**
 * The issuing unit a version was written for: its payload's issuer code, and the one its license
 * id carries (`root.type.issuer.serial`, GB/T 36904). Both are recorded with the version when it
 * is written; the pipeline's issuer in the config is what it says now.
 */
export function versionUnit(v: { licenseId: string; payload: { issuer: { code: string } } }): VersionUnit {
  const issuer = unitCode(v.payload.issuer.code);
  const fromId = unitCode(identifierIssuerText(v.licenseId));
  return fromId === issuer ? { issuer } : { issuer, identifierIssuer: fromId };
}

/**
 * The segment of a license id before its last dot (`root.type.issuer.serial`: the issuer), the
 * whole id when it has no dot: what `split('.').slice(-2)[0]` gives, without an array of every
 * segment made for each version of a page.
 */
export function identifierIssuerText(licenseId: string): string {
  const last = licenseId.lastIndexOf('.');
  if (last < 0) return licenseId;
  // From last - 1: at a last dot at 0, -1 is read as 0, that dot found again, and the slice empty.
  const before = licenseId.lastIndexOf('.', last - 1);
  return licenseId.slice(before + 1, last);
}

/**
 * `v`'s issuing unit (versionUnit) from `issuerText`, the text of its `issuer` value where the
 * signed form was made from its stored text (ledger/stored-signed-form.ts): the license itself is
 * then never parsed, which a sign stage or pass did for every version only to read its issuer's
 * code. The same value as the parsed license's `issuer`, parsed from the same text. Without it (a
 * text written before, read the long way), the license's.
 */
export function issuerUnit(
  v: { licenseId: string; payload: { issuer: { code: string } } },
  issuerText: string | undefined,
): VersionUnit {
  if (issuerText !== undefined) {
    const issuer: unknown = JSON.parse(issuerText);
    if (issuer !== null && typeof issuer === 'object')
      return versionUnit({ licenseId: v.licenseId, payload: { issuer: issuer as { code: string } } });
  }
  return versionUnit(v);
}

/** Whether a seal of unit `sealCode` may seal a version of `unit`: both its codes are the seal's. */
export function sealsVersion(sealCode: string, unit: VersionUnit): boolean {
  return unit.identifierIssuer === undefined && unit.issuer === sealCode;
}

/**
 * The unit whose versions a seal seals in `pipeline`: the seal's when it can be told, else the
 * pipeline's issuer in the config, the unit the operator named the pipeline for (`--pipeline`).
 */
export function sealCodeFor(
  config: Readonly<Pick<Config, 'pipelines'>>,
  unit: SealUnit | null,
  pipeline: string,
): string {
  return unit?.code ?? unitCode(config.pipelines[pipeline]?.issuer.code ?? '');
}

/**
 * The unit whose versions `signer`, opened, signs in `pipeline` (`sign backfill` and the sign
 * stage): the same rule as a seal's, read from the signer's own certificate (a signer that
 * describes no certificate states no code), else the one issuer of the pipelines signing with it,
 * else `pipeline`'s issuer. A version is signed only when `sealsVersion(code, versionUnit(v))`.
 */
export function signerUnitCode(
  config: Readonly<Pick<Config, 'pipelines'>>,
  signer: Signer,
  pipeline: string,
): string {
  const pem = isDescribedSigner(signer) ? signer.keyInfo().certificatePem : null;
  return sealCodeFor(config, sealUnit(config, signer.name, pem), pipeline);
}

/** At most this many versions of another unit are named in a summary; `otherUnit` counts them all. */
export const OTHER_UNIT_LISTED = 10;

/** A version left alone (no file, no signature): the unit recorded with it is not the one worked for. */
export interface OtherUnitVersion {
  licenseId: string;
  version: number;
  pipeline: string;
  /** The issuer code recorded with the version (its payload's). */
  issuer: string;
  /** The issuer code its license id carries, when it differs from `issuer`. */
  identifierIssuer?: string;
  /**
   * The issuing unit of the seal or signer that left it, which its codes were compared with: the
   * version may have been written for another unit before its pipeline's issuer changed, or be of
   * the pipeline's issuer still while the seal or signer is of another unit.
   */
  signerUnit: string;
}

/**
 * `versions` of `pipeline` parted by their recorded issuing unit in one pass: those `unit` seals
 * (`sealsVersion`), in order, and the others, by id and codes (`others`) and as given. A page's
 * versions were read for their unit twice (once for the others, once more for the own) and the
 * others then found by a search of the own list for each version. `unitOf` reads a version's
 * unit: through its license by default, for a caller that reads the licenses anyway (`sign
 * files`); the sign stage and pass read it from the issuer text signable gave (`issuerUnit`).
 */
export function byUnit<
  V extends { licenseId: string; version: number; payload: { issuer: { code: string } } },
>(
  versions: readonly V[],
  pipeline: string,
  unit: string,
  unitOf: (v: V) => VersionUnit = versionUnit,
): { own: V[]; others: OtherUnitVersion[]; otherVersions: V[] } {
  const own: V[] = [];
  const others: OtherUnitVersion[] = [];
  const otherVersions: V[] = [];
  for (const v of versions) {
    const recorded = unitOf(v);
    if (sealsVersion(unit, recorded)) own.push(v);
    else {
      others.push({ licenseId: v.licenseId, version: v.version, pipeline, ...recorded, signerUnit: unit });
      otherVersions.push(v);
    }
  }
  return { own, others, otherVersions };
}

/**
 * The pipelines seal `sealName` (of `unit`) issues files for: `pipeline` when given, else every
 * pipeline whose issuer is the seal's unit. Throws USAGE, naming the pipelines and their units,
 * for a seal of a unit no pipeline issues for (pointing at `--pipeline`, the way to seal a merged
 * unit's older versions) and, without `pipeline`, for a seal whose unit cannot be told. A named
 * pipeline whose issuer is now another unit is read: its versions written when the seal's unit
 * issued them are the seal's to seal, and only those are sealed.
 */
export function pipelinesForSeal(
  config: Readonly<Pick<Config, 'pipelines'>>,
  sealName: string,
  unit: SealUnit | null,
  pipeline: string | undefined,
  command: string,
): string[] {
  const all = Object.entries(config.pipelines);
  const listed = (ps: typeof all) => ps.map(([n, p]) => `${n} (${p.issuer.code})`).join(', ') || 'none';
  const refuse = (detail: string) =>
    new LicbridgeError(ErrorCodes.USAGE, `${command}: seal ${sealName}: ${detail}`, {
      context: { seal: sealName, ...(pipeline !== undefined ? { pipeline } : {}) },
    });
  if (pipeline !== undefined) return [pipeline];
  if (unit === null) {
    throw refuse(
      `cannot tell which issuing unit it belongs to: its signer's certificate states no credit code (subject serialNumber), and the pipelines signing with its signer name no one issuer; a license sealed with another unit's seal is a wrong document, so name the pipeline it seals with --pipeline (pipelines: ${listed(all)})`,
    );
  }
  const own = all.filter(([, p]) => unitCode(p.issuer.code) === unit.code);
  if (own.length === 0) {
    throw refuse(
      `belongs to the issuing unit ${unit.code}, as ${unit.from} says, and no pipeline's licenses are issued by it (pipelines: ${listed(all)}); to seal the versions a pipeline wrote while ${unit.code} issued them (units merged, a code corrected), name that pipeline: \`licbridge ${command}${command === 'sign backfill' ? ' --files' : ''} --seal ${sealName} --pipeline <pipeline>\`, which seals only those`,
    );
  }
  return own.map(([n]) => n);
}
