/**
 * How long a deliver job holds the leases of the deliveries it sends (ledger/delivery-claims.ts):
 * past every request it may make, so that no other job takes them and sends them again while the
 * first still is. A request may take `timeoutMs` and the time its body takes to send
 * (adapters/whole-request-timeout.ts `requestAllowanceMs`, the rule its own bound follows): a
 * request carrying 32 MiB of license files has `timeoutMs` + 256 s. A lease sized on `timeoutMs`
 * alone ran out under a slow upload of files, and another job sent the same deliveries again.
 *
 * The count of requests is an estimate: an adapter cuts a request at `maxBatchBytes`, halves one
 * answered 413 down to a license a request, and sends one again after a 401 with a new token
 * (adapters/platforms/shared/batches.ts, shared/auth/with-renewal.ts), each with `timeoutMs`. So the
 * lease is kept while the send runs (`keptWhileSending`), not only sized before it.
 */
import type { DeliveryItem } from '../../adapters/platforms/target.js';
import { requestAllowanceMs } from '../../adapters/whole-request-timeout.js';
import { errorLine } from '../../core/errors.js';
import { type Logger, rootLogger } from '../../core/logger.js';
import type { DeliveryAsRead } from '../../ledger/delivery-claims.js';
import type { DeliveryLedger } from '../../ledger/ledger.js';

/** Where a failed renewal is told (keptWhileSending): a deliver job's logger. */
export type RenewalLogger = Pick<Logger, 'warn'>;

/** The warning of a renewal that failed: the leases run on, and may lapse under the send. */
const RENEWAL_FAILED =
  'deliver: a lease renewal failed during a send; the leases run on, and if they lapse before the send ends another job may send the same deliveries again';

/** A lease outlasts its requests by this much: the ledger writes after the last answer. */
export const LEASE_MARGIN_MS = 5_000;

/** What of a target's config sizes its leases. */
export interface LeaseSizing {
  readonly timeoutMs: number;
  readonly batchSize: number;
}

/**
 * The lease of a send of `count` deliveries whose request bodies carry `bodyBytes` between them
 * (their license files): a request per `batchSize` and one more (a token, a lost answer asked
 * about), each with `timeoutMs`, and the bytes' time to send, however the requests share them.
 */
export function sendLeaseMs(target: LeaseSizing, count: number, bodyBytes = 0): number {
  const requests = Math.ceil(count / Math.max(1, target.batchSize)) + 1;
  return requestAllowanceMs(target.timeoutMs * requests, bodyBytes) + LEASE_MARGIN_MS;
}

/**
 * The bytes the license files of `items` add to request bodies: as base64 (4 characters for every
 * 3 bytes begun), the larger of the ways a target sends them.
 */
export function fileBodyBytes(items: readonly DeliveryItem[]): number {
  let bytes = 0;
  for (const item of items) if (item.file) bytes += 4 * Math.ceil(item.file.size / 3);
  return bytes;
}

/** A send's lease: its requests' and its files' bytes' time (`sizing`), else `leaseMs`. */
export function sendLease(
  items: readonly DeliveryItem[],
  lease: { leaseMs: number; sizing?: LeaseSizing | undefined },
): number {
  return lease.sizing ? sendLeaseMs(lease.sizing, items.length, fileBodyBytes(items)) : lease.leaseMs;
}

/**
 * Of a send's `items`, those whose leases this sender holds for the whole send from now: the send
 * of their requests and their files' bytes (`sendLease`). Looked at whatever the files: the lease
 * was taken before the items were built and their files read, and one that ran out meanwhile (the
 * ledger or the store slow) and that another job took is that job's to send: sent here as well,
 * the platform got it twice. A lease that still covers the send is only read (ledger/leases.ts
 * keeps it), so a send on time writes no row; a shorter one is renewed.
 */
export async function heldForSend(
  ledger: Pick<DeliveryLedger, 'claimDeliveries'>,
  items: readonly DeliveryItem[],
  lease: {
    owner: string;
    leaseMs: number;
    sizing?: LeaseSizing | undefined;
    asRead?: readonly DeliveryAsRead[];
  },
): Promise<DeliveryItem[]> {
  if (items.length === 0) return [];
  const keys = items.map((i) => i.key);
  const held = new Set(
    await ledger.claimDeliveries(keys, lease.owner, sendLease(items, lease), lease.asRead),
  );
  return items.filter((i) => held.has(i.key));
}

/**
 * Runs `send` with the leases on `keys` renewed to `sendMs` every third of it while it runs, so a
 * live sender keeps them however many requests its adapter makes: sized on `batchSize` alone, a
 * lease ran out in the middle of a send cut by `maxBatchBytes` or halved after a 413, and another
 * job sent the deliveries not yet reached a second time. A sender that dies renews no more: its
 * leases run out as before, and whoever reads its rows then asks the platform first. A renewal
 * that fails (the ledger unreachable) leaves the lease to run on; the next one tries again. A key
 * another job took meanwhile (this sender paused past its lease) is not renewed: that job holds it.
 * A send that ends within a third of its lease (most) renews nothing and writes no row. The last
 * renewal is awaited before this returns: one landing after the answers were written and the
 * leases let go would lease the rows again to a sender done with them.
 *
 * A renewal that fails is logged (`lease.logger`, the root logger's by default): once the leases
 * lapse another job may send the same deliveries again, and the log is then what says why. A
 * ledger down fails every renewal, a tick each, so a send logs its first failure at once and the
 * count of those after it once, as it ends: two lines at most, with the error made safe
 * (core/errors.ts errorLine) and no delivery keys.
 *
 * A renewal is claimed without what the sender read (ledger/delivery-claims.ts `asRead`): that
 * claim lets go of a row written since the read, and a row being sent may well be: a sender before
 * this one whose lease ran out records its late answer all the same (ledger/leases.ts
 * `endOwnLease`). A renewal that let it go mid-send left it to the next job, which found it free
 * and sent it while this sender's request was still on its way. The send has begun: what was read
 * guards the look just before it (`heldForSend`), not the leases that keep it.
 */
export async function keptWhileSending<T>(
  ledger: Pick<DeliveryLedger, 'claimDeliveries'>,
  keys: readonly string[],
  lease: {
    owner: string;
    sendMs: number;
    logger?: RenewalLogger | undefined;
  },
  send: () => Promise<T>,
): Promise<T> {
  let held = [...keys];
  let renewing: Promise<void> | undefined;
  const failed = { count: 0, last: undefined as unknown };
  const log = () => lease.logger ?? rootLogger().child({ component: 'deliver' });
  const timer = setInterval(
    () => {
      if (renewing !== undefined || held.length === 0) return;
      renewing = ledger
        .claimDeliveries(held, lease.owner, lease.sendMs)
        .then(
          (kept) => {
            held = kept;
          },
          (e: unknown) => {
            failed.count += 1;
            failed.last = e;
            if (failed.count === 1)
              log().warn(
                { deliveries: held.length, leaseMs: lease.sendMs, error: errorLine(e) },
                RENEWAL_FAILED,
              );
          },
        )
        .finally(() => {
          renewing = undefined;
        });
    },
    Math.max(1, Math.floor(lease.sendMs / 3)),
  );
  // A send is awaited by its job: the timer alone keeps no process running.
  timer.unref();
  try {
    return await send();
  } finally {
    clearInterval(timer);
    await renewing;
    if (failed.count > 1)
      log().warn(
        {
          deliveries: held.length,
          leaseMs: lease.sendMs,
          failed: failed.count,
          error: errorLine(failed.last),
        },
        'deliver: lease renewals failed during a send, the first logged as it failed; `failed` counts them all',
      );
  }
}
