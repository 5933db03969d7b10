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
 */
import { X509Certificate } from 'node:crypto';
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

/** The unit of a seal signed by `signer` (whose certificate is `certificatePem`); null when untold. */
export function sealUnit(
  config: Readonly<Pick<Config, 'pipelines'>>,
  signer: string,
  certificatePem: string,
): SealUnit | null {
  const stated = certificateUnitCode(certificatePem);
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

function unitCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * The pipelines seal `sealName` (of `unit`) issues files for: `pipeline` when given, else every
 * pipeline whose issuer is the seal's unit. Throws USAGE, naming the pipelines and their units,
 * for a named pipeline of another unit, for a seal of a unit no pipeline issues for, and, without
 * `pipeline`, for a seal whose unit cannot be told.
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
  if (pipeline !== undefined) {
    const p = config.pipelines[pipeline];
    if (p && unit !== null && unitCode(p.issuer.code) !== unit.code) {
      throw refuse(
        `belongs to the issuing unit ${unit.code}, as ${unit.from} says; pipeline ${pipeline}'s licenses are issued by ${p.issuer.code}, and a license sealed with another unit's seal is a wrong document; seal them with a seal of ${p.issuer.code}`,
      );
    }
    return [pipeline];
  }
  if (unit === null) {
    throw refuse(
      `cannot tell which issuing unit it belongs to: its signer's certificate states no credit code (subject serialNumber), and the pipelines signing with its signer name no one issuer; a license sealed with another unit's seal is a wrong document, so name the pipeline it seals with --pipeline (pipelines: ${listed(all)})`,
    );
  }
  const own = all.filter(([, p]) => unitCode(p.issuer.code) === unit.code);
  if (own.length === 0) {
    throw refuse(
      `belongs to the issuing unit ${unit.code}, as ${unit.from} says, and no pipeline's licenses are issued by it (pipelines: ${listed(all)}); nothing to seal with it`,
    );
  }
  return own.map(([n]) => n);
}
