/**
 * The front-database (前置库) target: writes one exchange-table row per delivery through knex.
 * Idempotent on the delivery key, the table's primary key: a replayed batch inserts nothing
 * twice (each database's way: ./insert-new-keys.ts), and the answer for a key already there says so.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { type TlsSettings, tlsFailureKind } from '../../../core/tls.js';
import { explainTlsFailure, type StartTls } from '../../../core/tls-probe.js';
import { pollInBatches } from '../shared/batches.js';
import { type CodeLists, codeListsFor } from '../shared/code-lists.js';
import { PayloadError, toPlatformLicense } from '../shared/platform-license.js';
import type { DeliveryItem, DeliveryOutcome, SubmittedDelivery, TargetAdapter } from '../target.js';
import type { ExchangeStatusCodes, FrontDbTargetConfig } from './config.js';
import { checkExchangeColumns, type ExchangeTableShape } from './exchange-columns.js';
import { exchangeTime, takeLongKeys } from './exchange-rows.js';
import {
  checkExchangeStatus,
  NOT_PICKED_UP,
  outcomeOfCode,
  readExchangeStates,
  stateColumns,
  stateOf,
} from './exchange-status.js';
import {
  COLUMNS,
  ensureExchangeTable,
  hasExchangeTable,
  keyOf,
  newBatchNo,
  operationType,
} from './exchange-table.js';
import { driverConnection, frontDbOf } from './front-db-driver.js';
import type { StatementDeadline } from './insert-new-keys.js';
import { insertEachAlone, refusalState } from './refused-rows.js';
import { writeAndVerify } from './verify-stored.js';

export interface FrontDbTargetOptions {
  /** Folder a relative sqlite `path` resolves against (the config file's). @defaultValue cwd */
  baseDir?: string;
}

export class FrontDbTarget implements TargetAdapter {
  readonly kind = 'front-db';
  private knexPromise: Promise<Knex> | undefined;
  /** What the exchange table's columns take, learnt as the database is opened. */
  private shape: ExchangeTableShape = { timeIsDate: false, statusIsNumber: false };
  private readonly codes: CodeLists;
  /**
   * Present only with `exchangeStatus`: without it a written row is final (accepted), and the
   * deliver stage asks nothing of the front database before sending again.
   */
  readonly poll?: (submitted: readonly SubmittedDelivery[]) => Promise<DeliveryOutcome[]>;

  constructor(
    readonly name: string,
    private readonly config: FrontDbTargetConfig,
    private readonly options: FrontDbTargetOptions = {},
  ) {
    this.codes = codeListsFor(config.codes);
    const exchange = config.exchangeStatus;
    if (exchange) {
      checkExchangeStatus(name, exchange);
      this.poll = (submitted) => this.pollExchange(submitted, exchange);
    }
  }

  /** The SQLite database file, a relative `path` resolved against the config file's folder. */
  private sqliteFile(): string {
    const path = this.config.path;
    return path && !isAbsolute(path) ? resolve(this.options.baseDir ?? '.', path) : (path ?? '');
  }

  /** A knex instance on the front database; nothing is asked of it yet. */
  private async connect(quiet = false): Promise<Knex> {
    // knex is CommonJS: under Node's ESM loader only its default export exists.
    const { default: knex } = await import('knex');
    const connection: Knex.StaticConnectionConfig =
      this.config.client === 'sqlite'
        ? { filename: this.sqliteFile() }
        : (driverConnection(
            this.name,
            this.config.client,
            this.config.connection ?? {},
          ) as Knex.StaticConnectionConfig);
    const spec = frontDbOf(this.config.client);
    return knex({
      client: (typeof spec.knexClient === 'string'
        ? spec.knexClient
        : await spec.knexClient()) as Knex.Config['client'],
      connection,
      useNullAsDefault: true,
      pool: this.config.client === 'sqlite' ? { min: 1, max: 1 } : { min: 0, max: this.config.concurrency },
      // A connection that cannot be had within the delivery's time fails it (retryable).
      acquireConnectionTimeout: this.config.timeoutMs,
      // Bound values are personal data: never in an error message.
      compileSqlOnError: false,
      // A check's failure is reported once, by its caller; knex would also print it, stack and all.
      ...(quiet ? { log: { warn: () => {}, error: () => {}, deprecate: () => {}, debug: () => {} } } : {}),
    });
  }

  /** Before any row is built: a column the table lacks would fail every batch, retried forever. */
  private async checkTable(k: Knex): Promise<ExchangeTableShape> {
    const endsAt = Date.now() + this.config.timeoutMs;
    return await checkExchangeColumns(k, {
      target: this.name,
      client: this.config.client,
      table: this.config.table,
      dataSource: this.config.dataSource,
      ...(this.config.exchangeStatus ? { codes: this.config.exchangeStatus } : {}),
      deadline: {
        remainingMs: () => Math.max(1, endsAt - Date.now()),
        cancel: (k.client as { canCancelQuery?: boolean }).canCancelQuery === true,
      },
    });
  }

  private db(): Promise<Knex> {
    this.knexPromise ??= (async () => {
      const k = await this.connect();
      try {
        if (this.config.createTable) await ensureExchangeTable(k, this.config.table);
        this.shape = await this.checkTable(k);
      } catch (e) {
        await k.destroy();
        throw e;
      }
      return k;
    })();
    return this.knexPromise;
  }

  /**
   * `config check --connect`: reaches the front database once and checks its exchange table as
   * opening does, writing nothing — no SQLite file and no table is created (a table `createTable`
   * will make passes unchecked). Throws `LB_TARGET_UNREACHABLE` for a database that does not
   * answer (a TLS refusal explained), `LB_CONFIG_INVALID` for a table that does not fit.
   */
  async checkConnection(): Promise<void> {
    if (this.config.client === 'sqlite') {
      const file = this.sqliteFile();
      // better-sqlite3 would create a missing file: an empty database the check then finds no table in.
      const missing = await access(file, constants.R_OK | constants.W_OK).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => e.code ?? 'unreadable',
      );
      // `createTable` makes the file at the first run: its folder must take it.
      const folder =
        missing === 'ENOENT' && this.config.createTable
          ? await access(dirname(file), constants.W_OK).then(
              () => undefined,
              (e: NodeJS.ErrnoException) => e.code ?? 'unwritable',
            )
          : undefined;
      if (missing === 'ENOENT' && this.config.createTable && folder === undefined) return;
      if (folder) {
        throw new LicbridgeError(
          ErrorCodes.TARGET_UNREACHABLE,
          `target ${this.name}: front database file ${file} cannot be created, its folder cannot be written (${folder}): fix \`targets.${this.name}.path\``,
          { context: { target: this.name } },
        );
      }
      if (missing) {
        throw new LicbridgeError(
          ErrorCodes.TARGET_UNREACHABLE,
          `target ${this.name}: front database file ${file} cannot be opened for writing (${missing}): fix \`targets.${this.name}.path\``,
          { context: { target: this.name } },
        );
      }
    }
    const k = await this.connect(true);
    try {
      if (this.config.createTable && !(await hasExchangeTable(k, this.config.table))) return;
      await this.checkTable(k);
    } catch (cause) {
      throw await this.writeError(cause, 'reaching the front database');
    } finally {
      await k.destroy();
    }
  }

  /**
   * Opens the front database once, so that an exchange table the config does not fit (a column it
   * lacks) is refused as the target opens, before anything is queued. A database not reachable now
   * is left to the deliveries, which retry, and check the table once they reach it.
   */
  async refuseUnfitTable(): Promise<void> {
    try {
      await this.db();
    } catch (e) {
      this.knexPromise = undefined;
      if (e instanceof LicbridgeError && e.code === ErrorCodes.CONFIG_INVALID) throw e;
    }
  }

  async deliver(items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> {
    const outcomes = new Map<string, DeliveryOutcome>();
    const rows: Record<string, unknown>[] = [];
    const batch = newBatchNo();
    const now = new Date();
    // The whole write — inserts and the read-back — ends within `timeoutMs`, as a request to the
    // other targets does; the delivery lease is sized on it (pipelines/workers/deliver-worker.ts).
    const endsAt = Date.now() + this.config.timeoutMs;
    for (const item of items) {
      try {
        const license = toPlatformLicense(item.license, item.operation, this.codes, item.version);
        rows.push({
          [COLUMNS.key]: item.key,
          [COLUMNS.batch]: batch,
          [COLUMNS.opType]: operationType(item.operation),
          [COLUMNS.time]: undefined,
          [COLUMNS.dataSource]: this.config.dataSource,
          [COLUMNS.licenseId]: item.licenseId,
          [COLUMNS.version]: item.version,
          [COLUMNS.identifier]: license.zzbs,
          [COLUMNS.opCode]: license.czlx,
          [COLUMNS.status]: license.zzzt,
          [COLUMNS.payload]: JSON.stringify(license),
          [COLUMNS.signature]: JSON.stringify(item.signature),
          [COLUMNS.exchangeStatus]: NOT_PICKED_UP,
        });
      } catch (e) {
        if (!(e instanceof PayloadError)) throw e;
        outcomes.set(item.key, { key: item.key, state: 'rejected', reasons: [`licbridge: ${e.message}`] });
      }
    }
    if (rows.length > 0) {
      const table = this.config.table;
      try {
        // Inside the try: an unreachable database (or a failed createTable) is retryable like any
        // other write failure, and its driver error carries no row values.
        const k = await this.db().catch((e: unknown) => {
          this.knexPromise = undefined;
          throw e;
        });
        for (const [key, reason] of takeLongKeys(rows, table, this.shape.keyWidth)) {
          outcomes.set(key, { key, state: 'rejected', reasons: [reason] });
        }
        if (rows.length === 0)
          return items.map((i) => outcomes.get(i.key) ?? { key: i.key, state: 'failed', retryable: true });
        // Known once the database is open: a date/time column takes the time (the wall clock of
        // `timeZone`, as such columns are read); any other the ISO text.
        const time = exchangeTime(now, this.shape, this.config.timeZone);
        for (const row of rows) row[COLUMNS.time] = time;
        const keys = rows.map((r) => r[COLUMNS.key] as string);
        const size = Math.max(1, Math.min(this.config.batchSize, 50));
        const deadline: StatementDeadline = {
          remainingMs: () => Math.max(1, endsAt - Date.now()),
          // knex cancels a statement on the server only where the dialect can (PostgreSQL, MySQL).
          cancel: (k.client as { canCancelQuery?: boolean }).canCancelQuery === true,
        };
        const exchange = this.config.exchangeStatus;
        const write = {
          style: frontDbOf(this.config.client).onDuplicate,
          chunk: size,
          deadline,
          batch,
          ...(exchange ? { refusedCodes: exchange.rejected, statusIsNumber: this.shape.statusIsNumber } : {}),
        };
        let refused = new Map<string, string>();
        let altered: Map<string, string>;
        try {
          altered = await k.transaction((trx) => writeAndVerify(trx, table, rows, write));
        } catch (batchError) {
          // One row refused for its values fails the whole insert: the others go in one by one.
          if (rows.length < 2 || refusalState(batchError) === undefined) throw batchError;
          ({ refused, altered } = await insertEachAlone(k, table, rows, write));
          if (refused.size === rows.length) throw batchError;
        }
        for (const [key, column] of altered) {
          outcomes.set(key, {
            key,
            state: 'rejected',
            // Retrying stores the same: a person widens the column or fixes its character set.
            reasons: [
              `exchange table ${table} stored ${column} other than written (cut to its column, or characters its character set lacks replaced); the row was taken out again`,
            ],
          });
        }
        for (const [key, state] of refused) {
          outcomes.set(key, {
            key,
            state: 'failed',
            retryable: true,
            // The SQLSTATE only: the driver's message quotes the refused value.
            reasons: [`exchange table ${table} refused the row (SQLSTATE ${state})`],
          });
        }
        const held: Record<string, unknown>[] = [];
        for (let i = 0; i < keys.length; i += 500) {
          held.push(
            ...(await k(table)
              .select(COLUMNS.key, COLUMNS.batch, ...stateColumns(exchange))
              .whereIn(COLUMNS.key, keys.slice(i, i + 500))
              .timeout(deadline.remainingMs(), { cancel: deadline.cancel })),
          );
        }
        const byKey = new Map(held.map((h) => [keyOf(h), h]));
        for (const key of keys) {
          if (refused.has(key) || altered.has(key)) continue;
          const h = byKey.get(key);
          // A CHAR BATCH_NO wider than the batch number comes back padded (PostgreSQL): compared
          // as read, every row this call wrote was answered a duplicate of an earlier send.
          const read = h?.[COLUMNS.batch];
          const b = typeof read === 'string' ? read.trimEnd() : undefined;
          const receipt = { batchNo: b, duplicate: b !== batch };
          outcomes.set(
            key,
            h === undefined
              ? { key, state: 'failed', retryable: true, reasons: ['exchange row not found after insert'] }
              : exchange
                ? // A row already there (a send whose answer was lost) answers what the exchange system made of it.
                  outcomeOfCode(
                    key,
                    stateOf(h, exchange, this.shape.statusIsNumber),
                    exchange,
                    { target: this.name, table },
                    receipt,
                  )
                : { key, state: 'accepted', platformId: key, receipt },
          );
        }
      } catch (cause) {
        throw await this.writeError(cause, `writing exchange table ${table}`);
      }
    }
    return items.map((i) => outcomes.get(i.key) ?? { key: i.key, state: 'failed', retryable: true });
  }

  /** The error a failed statement is reported as: `what` failed, with the driver's code only. */
  private async writeError(cause: unknown, what: string): Promise<LicbridgeError> {
    // A config this target cannot honour (TLS its driver cannot take, a column the table lacks)
    // is no write failure: retrying changes nothing until the config does.
    if (
      cause instanceof LicbridgeError &&
      (cause.code === ErrorCodes.USAGE || cause.code === ErrorCodes.CONFIG_INVALID)
    )
      return cause;
    // A refused certificate is named (what is wrong, the server certificate), not retried.
    const tlsError = await this.tlsError(cause);
    if (tlsError) return tlsError;
    const timedOut = cause instanceof Error && cause.name === 'KnexTimeoutError';
    const code = timedOut
      ? `timed out after ${this.config.timeoutMs} ms`
      : (cause as { code?: unknown }).code;
    return new LicbridgeError(
      ErrorCodes.TARGET_UNREACHABLE,
      `target ${this.name}: ${what} failed${typeof code === 'string' ? ` (${code})` : ''}`,
      {
        retryable: true,
        context: { target: this.name },
        cause: new Error(typeof code === 'string' ? code : 'driver error'),
      },
    );
  }

  /**
   * The exchange system's decision on rows answered `submitted`: `EXCHANGE_STATUS` read by
   * `DELIVERY_KEY`, one statement per `batchSize` keys, each within `timeoutMs`. A statement that
   * fails leaves its keys unverified (retryable); the others still count.
   */
  private pollExchange(
    submitted: readonly SubmittedDelivery[],
    exchange: ExchangeStatusCodes,
  ): Promise<DeliveryOutcome[]> {
    const table = this.config.table;
    // At most 500 keys a statement: Oracle refuses an IN list past 1000, and others slow down.
    const size = Math.min(this.config.batchSize, 500);
    return pollInBatches(submitted, size, async (keys) => {
      let states: Map<string, { code: string; reason?: string }>;
      try {
        const k = await this.db().catch((e: unknown) => {
          this.knexPromise = undefined;
          throw e;
        });
        const endsAt = Date.now() + this.config.timeoutMs;
        const deadline: StatementDeadline = {
          remainingMs: () => Math.max(1, endsAt - Date.now()),
          cancel: (k.client as { canCancelQuery?: boolean }).canCancelQuery === true,
        };
        states = await readExchangeStates(k, table, keys, exchange, deadline, this.shape.statusIsNumber);
      } catch (cause) {
        throw await this.writeError(cause, `reading exchange table ${table}`);
      }
      return keys.map((key) => {
        const state = states.get(key);
        if (state) return outcomeOfCode(key, state, exchange, { target: this.name, table });
        // Gone before a decision was read (cleared by hand, archived): what the exchange system made
        // of it is unknown. A dead letter says so and a replay writes the row again; left
        // `submitted` it would wait for a code that never comes, with nothing to replay.
        return {
          key,
          state: 'failed',
          retryable: false,
          reasons: [
            `exchange table ${table} no longer holds the row, and no EXCHANGE_STATUS was read for it: the exchange system's decision is unknown; replay the dead letter to write the row again`,
          ],
        };
      });
    });
  }

  private async tlsError(cause: unknown): Promise<LicbridgeError | undefined> {
    if (!tlsFailureKind(cause)) return undefined;
    const c = (this.config.connection ?? {}) as { host?: string; port?: string | number; tls?: TlsSettings };
    const { spec } = frontDbOf(this.config.client);
    const startTls: StartTls | undefined = spec.startTls;
    const port = c.port === undefined || c.port === '' ? (spec.defaultPort ?? 0) : Number(c.port);
    const endpoint =
      startTls && spec.defaultPort !== undefined && c.host
        ? { host: c.host, port, startTls, ...(c.tls?.servername ? { servername: c.tls.servername } : {}) }
        : undefined;
    const where = { connection: `target ${this.name}`, code: ErrorCodes.TARGET_UNREACHABLE };
    return explainTlsFailure(cause, { ...where, context: { target: this.name } }, endpoint);
  }

  async close(): Promise<void> {
    const p = this.knexPromise;
    this.knexPromise = undefined;
    if (p) await (await p.catch(() => undefined))?.destroy();
  }
}
