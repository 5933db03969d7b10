/**
 * How `licbridge status` names the ledger when it fails: as the ledger's failure, never as Redis's,
 * with the connection it failed on — the database behind `ledger.url`, its password masked.
 */
import type { Config } from '../../config/types.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { readSqliteLedgerUrl } from '../../core/sqlite-ledger-url.js';
import type { Attention } from './attention.js';

/**
 * `ledger.url` as it may be shown: a SQLite file as its path, a PostgreSQL URL with its password
 * masked and its query (TLS files, options) left out, the schema named.
 */
export function ledgerLocation(url: string): string {
  // The file the ledger opens, as it reads the URL (core/sqlite-ledger-url.ts): `%25` shown as `%`.
  const sqlite = readSqliteLedgerUrl(url);
  if (sqlite !== undefined) {
    if ('file' in sqlite) return `sqlite://${sqlite.file}`;
    return 'memory' in sqlite ? 'sqlite://:memory:' : 'an unreadable sqlite:// URL';
  }
  try {
    const u = new URL(url);
    const auth = u.password ? `${u.username}:***@` : u.username ? `${u.username}@` : '';
    const schema = u.searchParams.get('schema');
    return `${u.protocol}//${auth}${u.hostname}:${u.port || '5432'}${u.pathname}${schema ? ` (schema ${schema})` : ''}`;
  } catch {
    return 'an unparseable URL';
  }
}

/** Whether `error` is the ledger's own (a database call that failed), not Redis's or a source's. */
export function isLedgerError(error: unknown): boolean {
  return isLicbridgeError(error) && error.code === ErrorCodes.LEDGER;
}

/**
 * A ledger that could not be opened or read, by its message; `unmigrated` when it answered but lacks
 * this release's migrations (ledger/pending-migrations.ts).
 */
export interface LedgerFailure {
  readonly error: string;
  readonly unmigrated?: boolean;
}

/**
 * The finding for a ledger `failure`: one lacking this release's migrations in its own words
 * (`ledger-unmigrated`: the usual state of an upgrade until its first writing process starts), any
 * other as not reachable.
 */
export function ledgerFailureAttention(
  config: Readonly<Pick<Config, 'ledger'>>,
  failure: LedgerFailure,
): Attention {
  return failure.unmigrated
    ? { kind: 'ledger-unmigrated', message: failure.error }
    : ledgerAttention(config, failure.error);
}

/** The finding for a ledger that cannot be opened or read. */
export function ledgerAttention(config: Readonly<Pick<Config, 'ledger'>>, error: string): Attention {
  return {
    kind: 'ledger-unreachable',
    message: `ledger: not reachable: ${error}; nothing can run until it is back: check the database behind \`ledger.url\` (${ledgerLocation(config.ledger.url)})`,
  };
}
