/**
 * The front-database (前置库) target: writes one exchange-table row per delivery through knex.
 * Idempotent on the delivery key, the table's primary key: a replayed batch inserts nothing
 * twice (each database's way: ./insert-new-keys.ts), and the answer for a key already there says so.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { type Logger, rootLogger } from '../../../core/logger.js';
import { failedRequest } from '../shared/batches.js';
import { type CodeLists, codeListsFor } from '../shared/code-lists.js';
import type { StoredReadBack } from '../shared/stored-read-back.js';
import type { DeliveryItem, DeliveryOutcome, SubmittedDelivery, TargetAdapter } from '../target.js';
import type { ExchangeStatusCodes, FrontDbTargetConfig } from './config.js';
import { checkExchangeColumns, type ExchangeTableShape } from './exchange-columns.js';
import { pollExchange } from './exchange-poll.js';
import { exchangeRows, exchangeTimeValue, takeLongKeys } from './exchange-rows.js';
import { checkExchangeStatus, readExchangeStates } from './exchange-status.js';
import { COLUMNS, ensureExchangeTable, hasExchangeTable, newBatchNo } from './exchange-table.js';
import { FrontDbConnections } from './front-db-connections.js';
import { frontDbOf } from './front-db-driver.js';
import { frontDbError, noConnectionHad, openingWhat } from './front-db-errors.js';
import { frontDbKnex } from './front-db-knex.js';
import type { DuplicateStyle, StatementDeadline } from './insert-new-keys.js';
import { onConflictRefused } from './key-unique.js';
import { checkConnectionCharset } from './mysql-charset.js';
import { answersOfWrite, WriteProgress } from './partly-written.js';
import { destroySoon, orGiveUp } from './silent-database.js';
import { sqliteFileMissingToMake, sqliteFileOf } from './sqlite-file.js';
import { deadlineAt } from './statement-deadline.js';
import { keysStoredAsSent } from './stored-as-sent.js';
import { UnansweredCommits } from './unanswered-commits.js';
import { writeBatch } from './write-batch.js';
import { checkWriteGrant } from './write-grant.js';

export interface FrontDbTargetOptions {
  /** Folder a relative sqlite `path` resolves against (the config file's). @defaultValue cwd */
  baseDir?: string;
  /** Where what opening finds worth a warning is told. @defaultValue the process's root logger */
  logger?: Logger;
}

export class FrontDbTarget implements TargetAdapter, StoredReadBack {
  readonly kind = 'front-db';
  /** The front database's connections, opened (the table made and checked) by the first step. */
  private readonly connections: FrontDbConnections;
  /** What the exchange table's columns take, learnt as the database is opened. */
  private shape: ExchangeTableShape = { timeIsDate: false, statusIsNumber: false };
  private readonly codes: CodeLists;
  /**
   * The transactions whose commit went unanswered, asked about before their keys are written again
   * (./unanswered-commits.ts). Their ids are asked of PostgreSQL only: whether KingbaseES answers
   * `txid_status` as PostgreSQL does is not established, and the other databases have no such
   * question; their keys are noted without, a row of theirs not written again where none is left.
   */
  private readonly commits: UnansweredCommits;
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
    this.commits = new UnansweredCommits(config.client === 'postgres');
    this.connections = new FrontDbConnections(
      () => this.connect(),
      (k) => this.openTable(k),
    );
    const exchange = config.exchangeStatus;
    if (exchange) {
      checkExchangeStatus(name, exchange);
      this.poll = (submitted) => this.pollExchange(submitted, exchange);
    }
  }

  /** The SQLite database file, a relative `path` resolved against the config file's folder. */
  private sqliteFile(): string {
    return sqliteFileOf(this.config.path, this.options.baseDir);
  }

  /** A knex instance on the front database; nothing is asked of it yet. */
  private connect(quiet = false): Promise<Knex> {
    return frontDbKnex(this.name, this.config, this.sqliteFile(), this.options.logger ?? rootLogger(), quiet);
  }

  /** Before any row is built: a column the table lacks would fail every batch, retried forever. */
  private async checkTable(k: Knex): Promise<ExchangeTableShape> {
    if (this.config.client === 'mysql') {
      const charset = (this.config.connection as { charset?: unknown } | undefined)?.charset;
      const deadline = deadlineAt(k, Date.now() + this.config.timeoutMs);
      await checkConnectionCharset(k, this.name, charset, deadline);
    }
    return await checkExchangeColumns(k, {
      target: this.name,
      client: this.config.client,
      table: this.config.table,
      dataSource: this.config.dataSource,
      ...(this.config.exchangeStatus ? { codes: this.config.exchangeStatus } : {}),
      deadline: deadlineAt(k, Date.now() + this.config.timeoutMs),
    });
  }

  /** How a send inserts its rows: the database's way, or a plain insert where the key has no unique index. */
  private writeStyle(shape: ExchangeTableShape): DuplicateStyle {
    return shape.keyNotUnique ? 'plain' : frontDbOf(this.config.client).onDuplicate;
  }

  /** As the database is opened: the exchange table made (with `createTable`), then checked. */
  private async openTable(k: Knex): Promise<void> {
    const opening = (async () => {
      if (this.config.createTable) {
        await ensureExchangeTable(k, this.config.table, deadlineAt(k, Date.now() + this.config.timeoutMs));
      }
      return await this.checkTable(k);
    })();
    // Two steps, each within `timeoutMs`.
    this.shape = await orGiveUp(opening, Date.now() + 2 * this.config.timeoutMs, () => undefined);
    if (this.shape.noTransactions) this.warnNoTransactions(this.shape.noTransactions);
  }

  /**
   * An exchange table of an engine without transactions (MyISAM) shows each row to the exchange
   * system from its insert on: found only as a delivery failed, it was told too late to convert
   * the table before licenses went out through it (./engine-transactions.ts).
   */
  private warnNoTransactions(engine: string): void {
    const table = this.config.table;
    (this.options.logger ?? rootLogger()).warn(
      { target: this.name, table, engine },
      `target ${this.name}: exchange table ${table} is of engine ${engine}, which keeps no transactions: the exchange system sees each row as it is inserted, before licbridge has checked it, so a row stored cut or with characters replaced can be picked up before it is taken out again, and a delivery whose row is taken before it is read back is dead-lettered, not sent again. Convert the table (\`ALTER TABLE ${table} ENGINE=InnoDB\`) where the exchange system allows it`,
    );
  }

  /**
   * `config check --connect`: reaches the front database once and checks its exchange table as
   * opening does, and on PostgreSQL, KingbaseES, MySQL and MariaDB that its user may write it
   * (./write-grant.ts), writing nothing — no SQLite file and no table is created (a table
   * `createTable` will make passes unchecked). Throws `LB_TARGET_UNREACHABLE` for a database that does not answer (a TLS refusal
   * explained), `LB_CONFIG_INVALID` for a table that does not fit or a user that may not write it.
   * A table of an engine without transactions is warned about through the logger, as opening does.
   */
  async checkConnection(): Promise<void> {
    if (
      this.config.client === 'sqlite' &&
      (await sqliteFileMissingToMake(this.name, this.sqliteFile(), this.config.createTable))
    )
      return;
    const k = await this.connect(true);
    const table = this.config.table;
    const checking = (async () => {
      if (
        this.config.createTable &&
        !(await hasExchangeTable(k, table, deadlineAt(k, Date.now() + this.config.timeoutMs)))
      )
        return;
      const shape = await this.checkTable(k);
      // Told where a person setting the target up looks first, not only as a run opens it.
      if (shape.noTransactions) this.warnNoTransactions(shape.noTransactions);
      await checkWriteGrant(k, {
        target: this.name,
        ...(shape.names ? { catalog: shape.names.catalog } : {}),
        table: this.config.table,
        deletesRefused: this.config.exchangeStatus !== undefined,
        style: this.writeStyle(shape),
        deadline: deadlineAt(k, Date.now() + this.config.timeoutMs),
      });
    })();
    try {
      // Three steps, each within `timeoutMs`: the table looked up, checked, and its grants.
      await orGiveUp(checking, Date.now() + 3 * this.config.timeoutMs, () => undefined);
    } catch (cause) {
      // Named as a send names its opening (./front-db-errors.ts openingWhat): a statement refused or
      // out of time, its cancel failed or not, names the table it was asking about; a connection or
      // login refused, or none had in time, the reaching. Any failure not out of time read
      // 'reaching the front database', though a database that refused a statement was reached.
      throw await this.writeError(cause, openingWhat(cause, table));
    } finally {
      await destroySoon(k);
    }
  }

  /**
   * Opens the front database once, so that an exchange table the config does not fit (a column it
   * lacks) is refused as the target opens, before anything is queued. A database not reachable now
   * is left to the deliveries, which retry, and check the table once they reach it.
   */
  async refuseUnfitTable(): Promise<void> {
    try {
      await this.connections.take();
    } catch (e) {
      if (e instanceof LicbridgeError && e.code === ErrorCodes.CONFIG_INVALID) throw e;
    }
  }

  async deliver(items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> {
    const batch = newBatchNo();
    const now = new Date();
    // The whole write — inserts and the read-back — ends within `timeoutMs`, as a request to the
    // other targets does; the delivery lease is sized on it (pipelines/stages/delivery-lease.ts).
    const endsAt = Date.now() + this.config.timeoutMs;
    const { rows, rejected } = exchangeRows(items, this.codes, this.config.dataSource, batch, {
      target: this.name,
      action: 'write',
      table: this.config.table,
    });
    const outcomes = new Map<string, DeliveryOutcome>(rejected.map((o) => [o.key, o]));
    const answer = () =>
      items.map((i) => outcomes.get(i.key) ?? { key: i.key, state: 'failed' as const, retryable: true });
    if (rows.length === 0) return answer();
    const table = this.config.table;
    // An unreachable database (or a failed createTable) is retryable like any other write failure,
    // and its driver error carries no row values. It fails the send before any row of it was
    // written: the connection refused or none made in time, the table not made or not fit. No
    // license of the call reached the database, so the error names none as sent
    // (../shared/batches.ts failedRequest): no attempt of them. Counted, each got attempts + 1 and
    // a deliver-attempt audit entry saying it was tried, and its next try asked the database first.
    const { k, opened } = await this.connections.take().catch(async (cause: unknown) => {
      throw failedRequest(await this.writeError(cause, openingWhat(cause, table)), []);
    });
    try {
      for (const [key, reason] of takeLongKeys(rows, table, this.shape.keyWidth)) {
        outcomes.set(key, { key, state: 'rejected', reasons: [reason] });
      }
      if (rows.length === 0) return answer();
      // Known once the database is open: a date/time column takes the time (the wall clock of
      // `timeZone`, as such columns are read); any other the ISO text.
      const time = exchangeTimeValue(k, now, this.shape, this.config.timeZone);
      for (const row of rows) row[COLUMNS.time] = time;
      const deadline = deadlineAt(k, endsAt);
      const exchange = this.config.exchangeStatus;
      const statusIsNumber = this.shape.statusIsNumber;
      const progress = new WriteProgress();
      const writing = writeBatch(k, rows, {
        target: this.name,
        table,
        write: {
          style: this.writeStyle(this.shape),
          chunk: Math.max(1, Math.min(this.config.batchSize, 50)),
          deadline,
          batch,
          ...(exchange ? { refusedCodes: exchange.rejected, statusIsNumber } : {}),
          ...(this.shape.keyPadTo === undefined ? {} : { keyPadTo: this.shape.keyPadTo }),
          ...(this.shape.names ? { lockPrefix: this.shape.names.locks } : {}),
          commits: this.commits,
        },
        ...(exchange ? { exchange } : {}),
        statusIsNumber,
        ...(this.shape.noTransactions ? { noTransactions: this.shape.noTransactions } : {}),
        progress,
      });
      const given = orGiveUp(writing, endsAt, () => {
        progress.givenUp = true;
        this.connections.abandon(opened);
      });
      // Rows committed before a failure, or before the send was given up, keep their answers.
      const written = await answersOfWrite(given, rows, progress, (c) =>
        this.writeError(c, `writing exchange table ${table}`),
      );
      for (const [key, outcome] of written) outcomes.set(key, outcome);
    } catch (cause) {
      // The database's word that the table takes no `on conflict` (its key's unique index dropped
      // since the table was checked): the next send leaves out the keys already there instead
      // (./key-unique.ts).
      if (onConflictRefused(cause)) this.shape = { ...this.shape, keyNotUnique: true };
      throw await this.writeError(cause, `writing exchange table ${table}`);
    }
    return answer();
  }

  /** The error a failed statement is reported as: `what` failed, with the driver's code only. */
  private writeError(cause: unknown, what: string): Promise<LicbridgeError> {
    return frontDbError(this.name, this.config, cause, what);
  }

  /**
   * The exchange system's decision on rows answered `submitted`: `EXCHANGE_STATUS` read by
   * `DELIVERY_KEY`, one statement per `batchSize` keys, each within `timeoutMs` (./exchange-poll.ts).
   */
  private pollExchange(
    submitted: readonly SubmittedDelivery[],
    exchange: ExchangeStatusCodes,
  ): Promise<DeliveryOutcome[]> {
    const table = this.config.table;
    const poll = { target: this.name, table, batchSize: this.config.batchSize, exchange };
    return pollExchange(submitted, poll, (keys, batches) =>
      this.readWithin((k, deadline) =>
        readExchangeStates(
          k,
          table,
          keys,
          exchange,
          deadline,
          this.shape.statusIsNumber,
          this.shape.keyPadTo,
          batches,
        ),
      ),
    );
  }

  /**
   * The keys among `items` whose exchange row is stored as a send of them writes it
   * (./stored-as-sent.ts), read within `timeoutMs`: the deliver stage keeps a send whose answer was
   * lost `submitted`, unsent, only for those (../shared/stored-read-back.ts). Their commits are
   * answered so: a replay by a person once the exchange system has taken the row out is written,
   * not held back as a commit of unknown fate (./unanswered-commits.ts).
   */
  async heldAsSent(items: readonly DeliveryItem[]): Promise<ReadonlySet<string>> {
    // One whose row cannot be built is not held: exchangeRows leaves its row out (its failed outcome
    // is not needed here), the others are read back, and sent again it fails alone, final and unsent.
    const { rows } = exchangeRows(items, this.codes, this.config.dataSource, newBatchNo(), {
      target: this.name,
      action: 'read-back',
      table: this.config.table,
    });
    if (rows.length === 0) return new Set();
    const held = await this.readWithin((k, deadline) =>
      keysStoredAsSent(k, this.config.table, rows, deadline, this.shape.keyPadTo),
    );
    this.commits.answered(held);
    return held;
  }

  /**
   * One read of the exchange table within `timeoutMs`: a database that stops answering is left
   * (`abandon`) and the read fails as a write does (`writeError`), naming the table.
   */
  private async readWithin<T>(read: (k: Knex, deadline: StatementDeadline) => Promise<T>): Promise<T> {
    const what = `reading exchange table ${this.config.table}`;
    // A database never opened (its connection refused, none made in time, the table not fit) was
    // asked nothing: `unsent`, as a status request held back by a wait (../shared/batches.ts). Its
    // keys were counted failed checks, each an attempt, an audit entry and a last error.
    const { k, opened } = await this.connections.take().catch(async (cause: unknown) => {
      throw unsent(await this.writeError(cause, what));
    });
    try {
      const endsAt = Date.now() + this.config.timeoutMs;
      return await orGiveUp(read(k, deadlineAt(k, endsAt)), endsAt, () => this.connections.abandon(opened));
    } catch (cause) {
      const error = await this.writeError(cause, what);
      // No connection had from the pool in time: the statement was never sent either.
      throw noConnectionHad(cause) ? unsent(error) : error;
    }
  }

  /**
   * Closes the connections, waiting 2 s at most for one a step still holds (./front-db-connections.ts).
   */
  close(): Promise<void> {
    return this.connections.close();
  }
}

/** `error`, saying nothing of it reached the front database (../shared/batches.ts `neverSent`). */
function unsent(error: LicbridgeError): LicbridgeError {
  return new LicbridgeError(error.code, error.message, {
    retryable: error.retryable,
    context: { ...error.context, unsent: true },
    ...(error.cause === undefined ? {} : { cause: error.cause }),
  });
}
