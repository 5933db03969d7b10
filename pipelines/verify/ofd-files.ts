/**
 * `verify --file F.ofd …`: sealed OFD license files checked against the trusted certificates —
 * references, SES signature, the seal's own signature and validity at signing time. Nothing is
 * trusted unless the caller passes it (./trust.ts): without a config the report says whose
 * certificate each file would need. A seal the config marks revoked or lost is judged by its
 * status (./seal-status.ts).
 */
import { readFile } from 'node:fs/promises';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { type OfdVerifyResult, verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { applySealStandings, type SealStanding } from './seal-status.js';

export interface OfdFileResult {
  /** The path as given. */
  file: string;
  result: OfdVerifyResult;
}

export interface OfdFilesReport {
  /** Every file verified. */
  ok: boolean;
  failed: number;
  files: OfdFileResult[];
}

/**
 * Reads and verifies each file in the order given. A file that cannot be read is a usage error
 * (a wrong path), not a failed verification: nothing is reported for the others.
 */
export async function verifyOfdFiles(
  files: readonly string[],
  trust: readonly TrustedMaterial[],
  seals: readonly SealStanding[] = [],
): Promise<OfdFilesReport> {
  const results: OfdFileResult[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `verify: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    results.push({ file, result: applySealStandings(verifyOfd(bytes, trust), seals) });
  }
  const failed = results.filter((r) => !r.result.ok).length;
  return { ok: failed === 0, failed, files: results };
}
