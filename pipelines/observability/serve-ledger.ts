/**
 * The ledger as `licbridge serve` reads it. Serve only reads the ledger, so, like `licbridge
 * status`, it never migrates it: a new release's serve started beside the old release's workers
 * would otherwise change the tables under them (docs/operations.md, "Upgrades"). A ledger lacking
 * this release's migrations does not stop serve either: it starts, and every ledger read (the
 * /readyz check, the metrics' counts, the lag probe) fails with the pending-migrations message
 * until a writing process of the release has migrated the ledger; serve looks again at most once
 * per `recheckMs`, and reads the ledger from then on.
 */
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { isPendingMigrationsError } from '../../ledger/pending-migrations.js';
import { openConfigLedger } from '../config-ledger.js';

/** How often serve looks again at a ledger not migrated yet, ms. */
export const LEDGER_RECHECK_MS = 5000;

/**
 * Opens the config's ledger without migrating it. Any failure but a ledger lacking this release's
 * migrations is thrown, as at any start; that one gives a ledger whose calls wait for the migration.
 */
export async function openServeLedger(
  config: Readonly<Config>,
  logger: Logger,
  recheckMs = LEDGER_RECHECK_MS,
): Promise<Ledger> {
  const open = (): Promise<Ledger> => openConfigLedger(config, { logger, migrate: false });
  try {
    return await open();
  } catch (e) {
    if (!isPendingMigrationsError(e)) throw e;
    logger.warn(
      { err: { message: (e as Error).message } },
      'serve: started without reading the ledger: it lacks migrations of this release, and serve never applies them; /readyz answers 503 until a writing process (run, worker, …) has',
    );
    return waitingLedger(open, e, recheckMs, logger);
  }
}

type Call = (...args: unknown[]) => Promise<unknown>;

/**
 * A stand-in for the ledger `open` could not give yet: each call (`ledger.f(…)`, and those of its
 * stores, `ledger.reminders.f(…)`) first gets the ledger, opening it again at most once per
 * `recheckMs`, and fails with the last refusal meanwhile. Every member reads as a method: a field
 * of the ledger (`keysHoldNul`) would read as a function, so only code that calls methods may be
 * given it — serve's readers (metrics, readiness, lag, status) do.
 */
function waitingLedger(
  open: () => Promise<Ledger>,
  refusal: unknown,
  recheckMs: number,
  logger: Logger,
): Ledger {
  let opened: Promise<Ledger> | undefined;
  let lastError = refusal;
  let lastTry = Date.now();
  let closed = false;
  /** The ledger, once an open gave it. */
  let given: Ledger | undefined;
  const ledger = (): Promise<Ledger> => {
    if (closed) return Promise.reject(new Error('ledger: closed'));
    if (opened) return opened;
    if (Date.now() - lastTry < recheckMs) return Promise.reject(lastError);
    lastTry = Date.now();
    const attempt = open().then(
      (l) => {
        given = l;
        if (!closed) logger.info('serve: the ledger now holds the migrations of this release: reading it');
        return l;
      },
      (e: unknown) => {
        lastError = e;
        opened = undefined;
        throw e;
      },
    );
    opened = attempt;
    return attempt;
  };
  const member = (path: readonly PropertyKey[]): unknown =>
    new Proxy(() => undefined, {
      // Never a thenable: `await ledger` must give the stand-in, not call it.
      get: (_, key) => (key === 'then' ? undefined : member([...path, key])),
      apply: async (_, _this, args: unknown[]) => {
        const real = await ledger();
        let owner: unknown = real;
        for (const key of path.slice(0, -1)) owner = (owner as Record<PropertyKey, unknown>)[key];
        const f = (owner as Record<PropertyKey, Call>)[path[path.length - 1] as PropertyKey] as Call;
        return f.apply(owner, args);
      },
    });
  const root = member([]) as Record<PropertyKey, unknown>;
  return new Proxy(root, {
    get: (target, key) => {
      if (key === 'then') return undefined;
      if (key === 'close') {
        return async () => {
          closed = true;
          if (given) return given.close();
          // An open still in flight is not waited for: on a database that stopped answering it
          // lasts up to the connect timeout, holding a stopping serve. What it gives is closed.
          void opened?.then((l) => l.close()).catch(() => undefined);
        };
      }
      return target[key];
    },
  }) as unknown as Ledger;
}
