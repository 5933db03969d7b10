/**
 * Connector state in one generic table (ledger/connector-state.ts) instead of one table per
 * connector: `connector_state` rows keyed by (source, scope, entry key) hold an opaque value the
 * connector encodes and versions. The xml-files connector's record of files read (migration 005)
 * is its first user: every `xml_files_read` row is copied over — scope = record path, key = file
 * name, value = the connector's version-1 encoding of the file's size and SHA-256 — and the old
 * table is dropped, so a ledger that had read files skips them after the upgrade as before.
 *
 * The encoding is written out here rather than imported: a migration is frozen history, and the
 * ledger does not import connectors. connectors/xml-files/files-read.ts reads the same form.
 */
import type { Knex } from 'knex';
import { xmlFilesReadMigration } from './005-xml-files-read.js';

const TS = { useTz: true, precision: 3 } as const;

/** Rows per insert: 5 bind parameters each, well inside both backends' limits. */
const BATCH = 100;

interface OldRow {
  source: string;
  record_path: string;
  file_name: string;
  size: unknown;
  sha256: string;
  read_at: unknown;
}

interface StateRow {
  source: string;
  scope: string;
  entry_key: string;
  value: string;
  updated_at: unknown;
}

/** The xml-files connector's file fingerprint, version 1: `{"v":1,"size":…,"sha256":"…"}`. */
function encodeV1(size: unknown, sha256: string): string {
  return JSON.stringify({ v: 1, size: Number(size), sha256 });
}

function decodeV1(value: string): { size: number; sha256: string } | null {
  try {
    const parsed = JSON.parse(value) as { v?: unknown; size?: unknown; sha256?: unknown };
    if (parsed.v !== 1 || !Number.isSafeInteger(parsed.size) || typeof parsed.sha256 !== 'string')
      return null;
    return { size: parsed.size as number, sha256: parsed.sha256 };
  } catch {
    return null;
  }
}

async function insertBatched(knex: Knex, table: string, rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await knex(table).insert(rows.slice(i, i + BATCH));
}

export const connectorStateMigration = {
  name: '021-connector-state',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('connector_state', (t) => {
      t.text('source').notNullable();
      t.text('scope').notNullable();
      t.text('entry_key').notNullable();
      t.text('value').notNullable();
      t.timestamp('updated_at', TS).notNullable();
      t.primary(['source', 'scope', 'entry_key'], 'connector_state_pk');
    });
    // One row per export file ever read: small enough to move in one pass.
    const old: OldRow[] = await knex('xml_files_read')
      .select('source', 'record_path', 'file_name', 'size', 'sha256', 'read_at')
      .orderBy(['source', 'record_path', 'file_name']);
    await insertBatched(
      knex,
      'connector_state',
      old.map((r) => ({
        source: r.source,
        scope: r.record_path,
        entry_key: r.file_name,
        value: encodeV1(r.size, r.sha256),
        // Copied as stored: text on SQLite, a Date from PostgreSQL's timestamptz.
        updated_at: r.read_at,
      })),
    );
    await knex.schema.dropTable('xml_files_read');
  },

  async down(knex: Knex): Promise<void> {
    await xmlFilesReadMigration.up(knex);
    // The table holds no connector kind: the entries in the xml-files form are taken back; any
    // other connector's state has no place in the schema before this migration and is dropped.
    const rows: StateRow[] = await knex('connector_state')
      .select('source', 'scope', 'entry_key', 'value', 'updated_at')
      .orderBy(['source', 'scope', 'entry_key']);
    const back = rows.flatMap((r) => {
      const file = decodeV1(r.value);
      if (!file) return [];
      return [
        {
          source: r.source,
          record_path: r.scope,
          file_name: r.entry_key,
          size: file.size,
          sha256: file.sha256,
          read_at: r.updated_at,
        },
      ];
    });
    await insertBatched(knex, 'xml_files_read', back);
    await knex.schema.dropTable('connector_state');
  },
};
