/**
 * The way a fresh test ledger skips running every migration again (./pg-ledger-template.ts,
 * ./sqlite-ledger-template.ts): knex's migrator, asked for the latest migrations into a ledger
 * marked here, with exactly the list of migrations the mark names, lets the mark fill the ledger
 * on one of its own connections, and answers as after running them. The mark declines (the
 * ledger holds tables already) and anything not marked, or asked for another list (a test that
 * migrates part of the way itself), runs knex's migrator as it is. `openLedger(url, { migrate:
 * false })` never asks the migrator: a marked ledger not migrated stays empty.
 */
import { createRequire } from 'node:module';

const MIGRATIONS_TABLE = 'ledger_migrations';

export interface LedgerMark {
  /** The migrations the filled ledger holds as run, in order. */
  names: readonly string[];
  /** Fills the ledger on `conn` (the driver's connection), or declines: false. */
  fill(conn: unknown): Promise<boolean>;
}

interface Shared {
  /** By `pg:<schema>` or `sqlite:<file>`. */
  marks: Map<string, LedgerMark>;
  /** How many ledgers of this process were filled by their mark. */
  filled: number;
}

// On globalThis: this module, like every other licbridge one, is evaluated again for each file of
// a worker (test/support/fresh-modules.ts), while knex, and the patch on it, is loaded once.
const KEY = Symbol.for('licbridge.test.migratorShortcut');
const store = globalThis as { [KEY]?: Shared };
store[KEY] ??= install();
const shared: Shared = store[KEY];

export function markLedger(key: string, mark: LedgerMark): void {
  shared.marks.set(key, mark);
}

export function unmarkLedger(key: string): void {
  shared.marks.delete(key);
}

/** How many ledgers of this process were filled instead of migrated, so far. */
export function ledgersFilled(): number {
  return shared.filled;
}

interface MigratorConfig {
  tableName?: string;
  schemaName?: string;
  loadExtensions?: readonly string[];
  migrationSource: {
    getMigrations(loadExtensions: readonly string[]): Promise<unknown[]>;
    getMigrationName(migration: unknown): string;
  };
}

interface MigratorThis {
  knex: {
    client: {
      dialect: string;
      connectionSettings?: { filename?: string };
      acquireConnection(): Promise<unknown>;
      releaseConnection(conn: unknown): Promise<unknown>;
    };
  };
}

type Latest = (this: MigratorThis, config: MigratorConfig) => Promise<[number, readonly string[]]>;

function install(): Shared {
  const state: Shared = { marks: new Map(), filled: 0 };
  // knex is CommonJS, loaded once per process from node_modules: this is the Migrator its
  // `knex.migrate` makes, for the ledger's knex as for any other.
  const { Migrator } = createRequire(import.meta.url)('knex/lib/migrations/migrate/Migrator.js') as {
    Migrator: { prototype: { latest: Latest } };
  };
  const latest = Migrator.prototype.latest;
  Migrator.prototype.latest = async function latestOrFill(config) {
    const mark = state.marks.get(ledgerKey(this, config));
    if (!mark || config.tableName !== MIGRATIONS_TABLE || !(await sameList(config, mark.names)))
      return latest.call(this, config);
    // Given back before knex's migrator would take its own: a ledger may have a pool of one
    // (test/ledger/pool-nested-read.int.test.ts).
    const conn = await this.knex.client.acquireConnection();
    let filled: boolean;
    try {
      filled = await mark.fill(conn);
    } finally {
      await this.knex.client.releaseConnection(conn);
    }
    if (!filled) return latest.call(this, config);
    state.filled++;
    return [1, mark.names];
  };
  return state;
}

function ledgerKey(migrator: MigratorThis, config: MigratorConfig): string {
  const client = migrator.knex.client;
  if (client.dialect === 'postgresql') return `pg:${config.schemaName ?? ''}`;
  return `sqlite:${client.connectionSettings?.filename ?? ''}`;
}

async function sameList(config: MigratorConfig, names: readonly string[]): Promise<boolean> {
  const source = config.migrationSource;
  const all = await source.getMigrations(config.loadExtensions ?? []);
  return all.length === names.length && all.every((m, i) => source.getMigrationName(m) === names[i]);
}
