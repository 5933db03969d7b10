/**
 * The status request of a front-db target with `exchangeStatus`: the exchange system's decision on
 * rows answered `submitted`, read from `EXCHANGE_STATUS` by `DELIVERY_KEY`
 * (./exchange-status.ts).
 */
import { pollInBatches } from '../shared/batches.js';
import type { DeliveryOutcome, SubmittedDelivery } from '../target.js';
import type { ExchangeStatusCodes } from './config.js';
import { type ExchangeState, outcomeOfCode } from './exchange-status.js';

export interface ExchangePoll {
  target: string;
  table: string;
  /** The target's `batchSize`: keys a statement, 500 at most. */
  batchSize: number;
  exchange: ExchangeStatusCodes;
}

/**
 * Reads the states of `keys` (one statement, within the target's `timeoutMs`); `batches`: by key,
 * the `BATCH_NO` of the row its delivery was answered from.
 */
export type ReadStates = (
  keys: readonly string[],
  batches: ReadonlyMap<string, string>,
) => Promise<Map<string, ExchangeState>>;

/**
 * The outcome of a delivery whose row is gone before a decision was read (taken in and moved out
 * by the exchange system, archived, cleared by hand): what the exchange system made of it is
 * unknown. A dead letter says so; left `submitted` it would wait for a code that never comes, with
 * nothing to replay. Its reason says the row was written: it told a person to replay as if the row
 * never came, and the replay wrote it again, a second copy where the exchange system had taken it in.
 */
function goneOutcome(key: string, table: string): DeliveryOutcome {
  return {
    key,
    state: 'failed',
    retryable: false,
    reasons: [
      `exchange table ${table} no longer holds the row, and no EXCHANGE_STATUS was read for it: the row was written and has been taken out since, so the exchange system may have taken it in before, or refused it; its decision is unknown. Ask the exchange system whether it holds the license: replaying the dead letter writes the row again, a second copy if it took the first in`,
    ],
    failure: 'no-result',
  };
}

/**
 * The exchange system's decision on rows answered `submitted`, one statement per `batchSize` keys
 * (`read`). A statement that fails leaves its keys unverified (retryable); the others still count.
 */
export function pollExchange(
  submitted: readonly SubmittedDelivery[],
  { target, table, batchSize, exchange }: ExchangePoll,
  read: ReadStates,
): Promise<DeliveryOutcome[]> {
  // At most 500 keys a statement: Oracle refuses an IN list past 1000, and others slow down.
  const size = Math.min(batchSize, 500);
  // The row each delivery was answered from: it decides where a key holds two rows.
  const batches = new Map<string, string>();
  for (const s of submitted) {
    const batchNo = s.receipt?.batchNo;
    if (typeof batchNo === 'string') batches.set(s.key, batchNo);
  }
  // Named as the other targets' status requests and this one's send are: a fault of no known kind
  // (reading the states read) kept its own text as each key's reason, naming no target or request,
  // and such a text may quote a license's holder.
  const request = { target, action: 'status request', to: `exchange table ${table}` };
  return pollInBatches(
    submitted,
    size,
    async (keys) => {
      const states = await read(keys, batches);
      return keys.map((key) => {
        const state = states.get(key);
        return state ? outcomeOfCode(key, state, exchange, { target, table }) : goneOutcome(key, table);
      });
    },
    request,
  );
}
