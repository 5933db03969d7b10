/**
 * Objections to licenses (rules art. 16): a using unit says a license is wrong; the issuing unit
 * checks it within 5 working days (`deadlines.objectionWorkingDays`) and, if the objection is
 * upheld, corrects the license.
 *
 * Upholding re-reads the pipeline from its source through the ordinary queues, as a reconcile
 * re-read does (pipelines/reconcile/apply-repairs.ts): the corrected row becomes a new version,
 * signed and delivered like any other, and the objection records that version. The correction is
 * made where the data belongs — in the department's business system — so a source still holding
 * what was objected to leaves the objection open, with a message saying so. A correction the
 * ordinary sync already carried counts as the correction. A correction is a version after the one
 * objected to whose operation corrects content (`update`, `renew`, `change`) and whose content,
 * status aside, differs from the objected version's: the tick's `expire` version, a suspension or
 * a resumption change only the status, and correct nothing. The correction must have gone out: an
 * objection is upheld only once every target of the pipeline that holds the license has accepted
 * the correcting version or a later one (objection-correction.ts).
 *
 * The `…For(config, …)` wrappers are what a command calls: each opens what its step needs (the
 * ledger, or a Runtime with its queues to uphold) and closes it again.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { addDays, localDate } from '../../core/local-date.js';
import type { Logger } from '../../core/logger.js';
import { operatorActor } from '../../ledger/audit-chain.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { ObjectionEvidence, ObjectionQuery, StoredObjection } from '../../ledger/objections.js';
import { Runtime } from '../runtime.js';
import { READ_ONLY, withLedger } from '../with-ledger.js';
import { addWorkingDays, yearsWithoutArrangement } from './calendar.js';
import { calendarOf, type DeploymentCalendar } from './calendar-config.js';
import { deadlineSettings, lateBy, overdueCutoff } from './deadlines.js';
import { licenseVersions, undoneBy } from './objection-correction.js';
import { assertNote, upholdObjection } from './objection-uphold.js';
import { judgedToday } from './settings.js';

export interface ObjectionView extends StoredObjection {
  /** The last working day to resolve it, `YYYY-MM-DD`. */
  dueOn: string;
  /** Working days past `dueOn` (0 while it is not late or once resolved). */
  overdueBy: number;
  /**
   * Years between the opening and `dueOn` (or today, while it is open and late) that the calendar
   * holds no holiday arrangement for: their days were counted Monday to Friday, so `dueOn` and
   * `overdueBy` may be a few days off until the year is added under `calendar.years`.
   */
  yearsWithoutArrangement: number[];
  /**
   * Upheld: the version that took the correction back — the license's latest content, status
   * aside, is again that of the version objected to (the source row was restored, say). `null`
   * while the correction stands, and for an objection not upheld.
   */
  correctionUndoneBy: number | null;
}

/** The day an objection is due, and the years on the way whose working days are not known. */
export interface ObjectionDue {
  /** The last working day to resolve it, `YYYY-MM-DD`. */
  dueOn: string;
  /** Years from the day after the opening to `dueOn` missing from the calendar (counted Monday to Friday). */
  yearsWithoutArrangement: number[];
}

/**
 * The evidence file as the ledger keeps it: its SM3 and size, never its bytes or name. Read as a
 * stream: a scan or a film of the premises may pass 2 GiB, which a read of the whole file refuses
 * (ERR_FS_FILE_TOO_LARGE), and held whole it would take its size in memory. Same SM3 (OpenSSL's)
 * as sm3Hex gives.
 */
export async function evidenceOf(file: string): Promise<ObjectionEvidence> {
  const digest = createHash('sm3');
  let size = 0;
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      digest.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } catch (e) {
    // The file's name may name a person (a scan named after its holder): only what went wrong.
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new LicbridgeError(ErrorCodes.USAGE, `objection: the evidence file cannot be read (${code})`, {
      cause: e,
    });
  }
  return { sm3: digest.digest('hex'), size };
}

export async function openObjection(
  ledger: Ledger,
  input: { licenseId: string; unit: string; reason: string; evidenceFile?: string },
): Promise<StoredObjection> {
  for (const [flag, value] of [
    ['--unit', input.unit],
    ['--reason', input.reason],
  ] as const) {
    if (value.trim() === '')
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `objection open: expected \`${flag}\` to be some text, got nothing`,
      );
  }
  return ledger.openObjection({
    licenseId: input.licenseId,
    unit: input.unit.trim(),
    reason: input.reason.trim(),
    ...(input.evidenceFile ? { evidence: await evidenceOf(input.evidenceFile) } : {}),
    actor: operatorActor(),
  });
}

/** Objections with their due day and lateness as of `today` (default: now in `lifecycle.timeZone`). */
export async function listObjections(
  config: Readonly<Config>,
  ledger: Ledger,
  options: { overdue?: boolean; state?: StoredObjection['state']; today?: string; now?: Date } = {},
): Promise<ObjectionView[]> {
  const cal = calendarOf(config);
  const n = deadlineSettings(config).objectionWorkingDays;
  // Today as the tick sees it: a pinned LICBRIDGE_TODAY wins over the caller's clock (`now`).
  const today = judgedToday(config, options);
  const rows = await everyObjection(
    ledger,
    options.overdue
      ? { state: 'open', openedBefore: overdueCutoff(cal, n, today) }
      : options.state
        ? { state: options.state }
        : {},
  );
  const out: ObjectionView[] = [];
  for (const o of rows) {
    const due = dueOf(cal, o.openedAt, n);
    const overdueBy = o.state === 'open' ? lateBy(cal, o.openedAt, n, today) : 0;
    const counted = overdueBy > 0 ? yearsWithoutArrangement(cal, due.dueOn, today) : [];
    // One read of the license's versions per upheld objection: objections are few.
    const undone =
      o.state === 'upheld' && o.correctedVersion !== null
        ? undoneBy(o.versionAtOpen, o.correctedVersion, await licenseVersions(ledger, o.licenseId))
        : undefined;
    out.push({
      ...o,
      dueOn: due.dueOn,
      overdueBy,
      yearsWithoutArrangement: [...new Set([...due.yearsWithoutArrangement, ...counted])].sort(),
      correctionUndoneBy: undone ?? null,
    });
  }
  return out;
}

/** Objections one page of the ledger holds at most; the list reads page after page. */
export const OBJECTION_PAGE = 1000;

/**
 * Every objection the query matches, in id order: the ledger answers a page at a time, and a list
 * cut at the first page would show the oldest objections only, never one opened since.
 */
async function everyObjection(
  ledger: Ledger,
  query: Omit<ObjectionQuery, 'afterId' | 'limit'>,
): Promise<StoredObjection[]> {
  const out: StoredObjection[] = [];
  for (let afterId: number | undefined; ; ) {
    const page = await ledger.listObjections({
      ...query,
      ...(afterId === undefined ? {} : { afterId }),
      limit: OBJECTION_PAGE,
    });
    out.push(...page);
    if (page.length < OBJECTION_PAGE) return out;
    afterId = (page.at(-1) as StoredObjection).objectionId;
  }
}

export async function rejectObjection(ledger: Ledger, id: number, note: string): Promise<StoredObjection> {
  assertNote(note);
  return ledger.resolveObjection({
    objectionId: id,
    outcome: 'rejected',
    note: note.trim(),
    actor: operatorActor(),
  });
}

/**
 * The day an objection opened at `openedAt` is due. A deadline opened late in December runs into
 * the next year, whose arrangement is often not published yet: the day is then counted Monday to
 * Friday, and the years so counted are named rather than the guess passed off as the rule's day.
 */
function dueOf(cal: DeploymentCalendar, openedAt: Date, n: number): ObjectionDue {
  const opened = localDate(cal.timeZone, openedAt);
  const dueOn = addWorkingDays(cal, opened, n);
  return { dueOn, yearsWithoutArrangement: yearsWithoutArrangement(cal, addDays(opened, 1), dueOn) };
}

/** {@link dueOf} with the deployment's calendar and `deadlines.objectionWorkingDays`, for messages. */
export function objectionDue(
  config: Pick<Config, 'calendar' | 'lifecycle' | 'deadlines'>,
  openedAt: Date,
): ObjectionDue {
  return dueOf(calendarOf(config), openedAt, deadlineSettings(config).objectionWorkingDays);
}

/** Records an objection and the day it is due. */
export async function openObjectionFor(
  config: Readonly<Config>,
  input: { licenseId: string; unit: string; reason: string; evidenceFile?: string },
): Promise<{ objection: StoredObjection } & ObjectionDue> {
  const objection = await withLedger(config, (ledger) => openObjection(ledger, input));
  return { objection, ...objectionDue(config, objection.openedAt) };
}

/** {@link listObjections} on the config's ledger. */
export async function listObjectionsFor(
  config: Readonly<Config>,
  options: { overdue?: boolean; state?: StoredObjection['state']; today?: string; now?: Date } = {},
): Promise<ObjectionView[]> {
  return withLedger(config, (ledger) => listObjections(config, ledger, options), READ_ONLY);
}

/** Rejects an objection: only the ledger is needed, the note is the reply. */
export async function rejectObjectionFor(
  config: Readonly<Config>,
  id: number,
  note: string,
): Promise<StoredObjection> {
  return withLedger(config, (ledger) => rejectObjection(ledger, id, note));
}

/**
 * Upholds an objection through a Runtime: the re-read goes through the ordinary queues. `stop`
 * aborted, it stops as a repair does (upholdObjection).
 */
export async function upholdObjectionFor(
  config: Readonly<Config>,
  id: number,
  note: string,
  logger: Logger,
  stop?: AbortSignal,
): Promise<StoredObjection> {
  const rt = new Runtime(config, logger);
  try {
    return await upholdObjection(rt, id, note, { logger, ...(stop ? { stop } : {}) });
  } finally {
    await rt.close();
  }
}
