/**
 * The config's word on seals that may no longer sign — `revoked` (art. 18) or `lost` (art. 19) —
 * applied to what a seal signed. Stopping new signatures is not enough: a file sealed with a seal
 * now revoked is reported with the seal's status. When the config gives the date (`since`), a
 * signature dated after it fails and one dated before passes with a note; without a date no one
 * can tell on which side a signature lies, and it fails saying so. A seal is known by its esID,
 * read from its seal file, as the signature carries the whole seal.
 */

import { readFile } from 'node:fs/promises';
import type { OfdSignatureResult, OfdVerifyResult } from '../../adapters/documents/ofd/ofd-verify.js';
import { decodeSeal } from '../../adapters/signers/ses/seal-format.js';
import { isCalendarMoment } from '../../config/moment-problems.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

export interface SealStanding {
  /** The seal's name in the config. */
  name: string;
  /** Its esID (GB/T 38540), what a signature names it by. */
  esId: string;
  status: 'revoked' | 'lost';
  /** Since when; null when the config does not say. */
  since: Date | null;
}

/** The configured seals that are revoked or lost, read from their seal files. */
export async function sealStandings(config: Readonly<Config>): Promise<SealStanding[]> {
  const out: SealStanding[] = [];
  for (const [name, seal] of Object.entries(config.seals ?? {})) {
    if (seal.status === 'active') continue;
    let since: Date | null = null;
    if (seal.since !== undefined) {
      since = new Date(seal.since);
      if (Number.isNaN(since.getTime()) || !isCalendarMoment(seal.since))
        throw new LicbridgeError(
          ErrorCodes.USAGE,
          `verify: seals.${name}.since: expected an ISO time with its zone, got \`${seal.since}\``,
        );
    }
    // The esID is in the seal file only: a status that cannot be tied to a seal would be dropped.
    out.push({ name, esId: await sealEsId(name, seal.file), status: seal.status, since });
  }
  return out;
}

/**
 * What the config's status of seal `esId` makes of a use of it at `at` (a signature's signing
 * time, or the moment a seal is checked for): problems, and notes that leave it passing.
 */
export function standingVerdict(
  esId: string,
  at: Date,
  standings: readonly SealStanding[],
  use: 'signed' | 'time-stamped' | 'checked',
): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const st of standings) {
    if (st.esId !== esId) continue;
    const what = `seal ${st.esId} (${st.name}) is ${st.status} in the config`;
    const when = at.toISOString();
    if (st.since === null) {
      problems.push(
        `${what}, with no date (\`since\`): whether it was ${st.status} when ${use} (at ${when}) cannot be told`,
      );
    } else if (sameSecondOrLater(at, st.since)) {
      problems.push(`${what} since ${st.since.toISOString()}; ${use} at ${when}, after it`);
    } else {
      // A signing time is the signer's own statement; a trusted timestamp's time is attested.
      const own =
        use === 'signed'
          ? " (the signing time the signature states, the signer's own word)"
          : use === 'time-stamped'
            ? ' (attested by a trusted timestamp)'
            : '';
      notes.push(`${what} since ${st.since.toISOString()}; ${use} at ${when}, before it${own}`);
    }
  }
  return { problems, notes };
}

/**
 * Whether `at` may lie at or after `since`. A signing time is stated in whole seconds (GB/T 38540
 * timeInfo, GeneralizedTime): `10:00:00Z` is any moment up to `10:00:00.999`, so one in the second
 * of a `since` with milliseconds cannot be told to lie before it, and is not. Compared by seconds
 * for every use, a timestamp's or `seal verify --at`'s time too: failing a use in that second is
 * the safe side.
 */
function sameSecondOrLater(at: Date, since: Date): boolean {
  return Math.floor(at.getTime() / 1000) >= Math.floor(since.getTime() / 1000);
}

/** The esID of the seal in `file`; throws naming the seal when it cannot be read. */
async function sealEsId(name: string, file: string): Promise<string> {
  try {
    return decodeSeal(await readFile(file)).info.esId;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new LicbridgeError(
      ErrorCodes.SIGNER_KEY,
      `verify: seal ${name} is marked revoked or lost, and its seal file ${file} cannot be read as a GB/T 38540 seal (${why}): its status cannot be tied to the files it sealed`,
      { cause: e },
    );
  }
}

function applyOne(s: OfdSignatureResult, standings: readonly SealStanding[]): void {
  // A signature that did not decode names no seal or time: it fails already.
  if (s.sealId === null || s.signedAt === null) return;
  // A trusted timestamp says by when the signature existed: that, not the stated time, is judged.
  const stamped = s.timeStamp === 'verified' && s.timeStampedAt !== null;
  const at = new Date(stamped ? (s.timeStampedAt as string) : s.signedAt);
  const { problems, notes } = standingVerdict(s.sealId, at, standings, stamped ? 'time-stamped' : 'signed');
  s.problems.push(...problems);
  s.notes.push(...notes);
}

/** The result with each signature of a revoked or lost seal judged by the seal's status. */
export function applySealStandings(
  result: OfdVerifyResult,
  standings: readonly SealStanding[],
): OfdVerifyResult {
  if (standings.length === 0) return result;
  for (const s of result.signatures) applyOne(s, standings);
  const ok =
    result.problems.length === 0 &&
    result.signatures.length > 0 &&
    result.signatures.every((s) => s.problems.length === 0);
  return { ...result, ok };
}
