/**
 * A send cut short after some of its rows were committed: a batch written row by row (one row
 * refused for its values, ./refused-rows.ts) whose later row met another failure (the connection
 * lost, the send's time up), or a read after the commit that failed. The rows committed before are
 * delivered, and their answers are kept: thrown away with the failure, every row was sent again,
 * and a row the exchange system had taken out of the exchange table meanwhile was written a second
 * time, the license delivered twice. Only the rows not answered are sent again.
 */
import type { LicbridgeError } from '../../../core/errors.js';
import { errorFailureKind } from '../shared/failure-kind.js';
import type { DeliveryOutcome } from '../target.js';

/** Thrown by ./write-batch.ts `writeBatch` when some of its rows are answered and the others are not. */
export class PartlyWritten extends Error {
  constructor(
    /** By delivery key, the answers of the rows written (or refused) before the failure. */
    readonly outcomes: ReadonlyMap<string, DeliveryOutcome>,
    /** By delivery key, the failure each row not answered met: it is not written, or not known to be. */
    readonly unanswered: ReadonlyMap<string, unknown>,
  ) {
    super('front database: the write failed partway');
    this.name = 'PartlyWritten';
  }
}

/**
 * The answers of `cut`: each row answered before the failure as it was, each other one failed as
 * `describe` reports its failure (retryable as that error is, its message the reason).
 */
export async function answersOfPartlyWritten(
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
    });
  }
  return outcomes;
}
