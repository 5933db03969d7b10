/**
 * A send cut short after some of its rows were committed: a batch written row by row (one row
 * refused for its values, ./refused-rows.ts) whose later row met another failure (the connection
 * lost, the send's time up, the send given up as the database stopped answering), or a read after
 * the commit that failed. The rows committed before are delivered, and their answers are kept:
 * thrown away with the failure, every row was sent again, and a row the exchange system had taken
 * out of the exchange table meanwhile was written a second time, the license delivered twice. Only
 * the rows not answered are sent again.
 */
import type { LicbridgeError } from '../../../core/errors.js';
import { errorFailureKind } from '../shared/failure-kind.js';
import type { DeliveryOutcome } from '../target.js';
import { COLUMNS } from './exchange-table.js';

/** Thrown by ./write-batch.ts `writeBatch` when some of its rows are answered and the others are not. */
export class PartlyWritten extends Error {
  constructor(
    /** By delivery key, the answers of the rows written (or refused) before the failure. */
    readonly outcomes: ReadonlyMap<string, DeliveryOutcome>,
    /** By delivery key, the failure each row not answered met: it is not written, or not known to be. */
    readonly unanswered: ReadonlyMap<string, unknown>,
    /**
     * Of `unanswered`, the keys whose row was never begun (the rows after the one the failure met):
     * nothing of them reached the database, no attempt of their licenses (`DeliveryOutcome.unsent`).
     * Counted, each got attempts + 1 and a deliver-attempt audit entry saying it was tried.
     */
    readonly notBegun: ReadonlySet<string> = new Set(),
  ) {
    super('front database: the write failed partway');
    this.name = 'PartlyWritten';
  }
}

/**
 * The answers of `cut`: each row answered before the failure as it was, each other one failed as
 * `describe` reports its failure (retryable as that error is, its message the reason).
 */
async function answersOfPartlyWritten(
  cut: PartlyWritten,
  describe: (cause: unknown) => Promise<LicbridgeError>,
): Promise<Map<string, DeliveryOutcome>> {
  const outcomes = new Map(cut.outcomes);
  const described = new Map<unknown, LicbridgeError>();
  for (const [key, cause] of cut.unanswered) {
    let e = described.get(cause);
    if (e === undefined) {
      e = await describe(cause);
      described.set(cause, e);
    }
    const failure = errorFailureKind(e);
    outcomes.set(key, {
      key,
      state: 'failed',
      retryable: e.retryable,
      reasons: [e.message],
      ...(failure === undefined ? {} : { failure }),
      ...(cut.notBegun.has(key) ? { unsent: true as const } : {}),
    });
  }
  return outcomes;
}

/**
 * A write's answers as its rows are written one by one, for a send given up before the write ends
 * (a database that stops answering, ./silent-database.ts): the rows committed until then keep their
 * answers, and no row is begun after it.
 */
export class WriteProgress {
  /** By delivery key, the answer of each row settled so far (written and read back, or refused). */
  readonly answered = new Map<string, DeliveryOutcome>();
  /** The keys whose row's write was begun, in the batch's transaction or alone: it may have reached the database. */
  readonly begun = new Set<string>();
  givenUp = false;

  /**
   * The write given up with `cause`: the rows settled answered, the other `keys` not (those never
   * begun `notBegun`); undefined when none settled.
   */
  cutShort(keys: readonly string[], cause: unknown): PartlyWritten | undefined {
    if (!this.givenUp || this.answered.size === 0) return undefined;
    const rest = keys.filter((key) => !this.answered.has(key));
    return new PartlyWritten(
      new Map(this.answered),
      new Map(rest.map((key) => [key, cause])),
      new Set(rest.filter((key) => !this.begun.has(key))),
    );
  }
}

/**
 * The answers of the write of `rows` (./write-batch.ts `writeBatch`, given up as
 * ./silent-database.ts `orGiveUp` gives a step up): those it returns, or, when it fails after some
 * rows were answered (`PartlyWritten`, or given up as `progress` tells), theirs and each other row
 * failed as `describe` reports the failure. A failure before any row was answered is thrown.
 */
export async function answersOfWrite(
  writing: Promise<Map<string, DeliveryOutcome>>,
  rows: readonly Record<string, unknown>[],
  progress: WriteProgress,
  describe: (cause: unknown) => Promise<LicbridgeError>,
): Promise<Map<string, DeliveryOutcome>> {
  try {
    return await writing;
  } catch (e) {
    const keys = rows.map((r) => r[COLUMNS.key] as string);
    const cut = e instanceof PartlyWritten ? e : progress.cutShort(keys, e);
    if (!cut) throw e;
    return await answersOfPartlyWritten(cut, describe);
  }
}
