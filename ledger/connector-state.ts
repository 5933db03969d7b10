/**
 * The state a source connector keeps between runs beyond its checkpoint, e.g. the export files it
 * has read completely. The ledger stores it without reading it: entries are keyed by (source,
 * scope, entry key) and hold an opaque text value whose format, and its version, the connector
 * owns. So the ledger knows no connector's concepts, and a new kind of state needs no migration.
 */
import { type Db, nowIso, toDate } from './db.js';

/** One entry of a connector's state, as the connector last wrote it. */
export interface StateEntry {
  /** The entry's key within its scope (an export file's name, for xml-files). */
  key: string;
  /** The connector's own encoding, e.g. JSON with a version field; the ledger never parses it. */
  value: string;
  updatedAt: Date;
}

interface StateRow {
  entry_key: string;
  value: string;
  updated_at: unknown;
}

/** Every entry of one scope of a source (xml-files: a record path), in key order. */
export async function stateEntries(db: Db, source: string, scope: string): Promise<StateEntry[]> {
  return db.read('stateEntries', async (k) => {
    const rows: StateRow[] = await k('connector_state')
      .select('entry_key', 'value', 'updated_at')
      .where({ source, scope })
      .orderBy('entry_key');
    return rows.map((r) => ({ key: r.entry_key, value: r.value, updatedAt: toDate(r.updated_at) }));
  });
}

/** Idempotent: writing an entry again replaces its value and time. */
export async function putStateEntry(
  db: Db,
  source: string,
  scope: string,
  key: string,
  value: string,
): Promise<void> {
  await db.write('putStateEntry', async (trx) => {
    await trx('connector_state')
      .insert({ source, scope, entry_key: key, value, updated_at: nowIso() })
      .onConflict(['source', 'scope', 'entry_key'])
      .merge(['value', 'updated_at']);
  });
}

/** Forgets a source's state (one scope, or all); returns how many entries were forgotten. */
export async function forgetState(db: Db, source: string, scope?: string): Promise<number> {
  return db.write('forgetState', async (trx) => {
    const q = trx('connector_state').where({ source });
    if (scope !== undefined) q.andWhere({ scope });
    return q.delete();
  });
}
