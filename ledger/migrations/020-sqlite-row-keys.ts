/**
 * SQLite only: `audit_log.seq` becomes the table's own row id (`integer primary key`). A `bigint`
 * primary key is an index beside the table on SQLite, a second copy of every entry's number:
 * ~50 bytes per license for its three entries. Every value is copied as it is — the audit chain
 * hashes what is stored, and verifies the same. PostgreSQL keeps the table as it is: its primary
 * keys are indexes either way.
 *
 * Measured and left: `signatures` as a `without rowid` table (the table as its key's index) came
 * out larger, not smaller — SQLite packs pages full only when appending to a row-id table; a
 * keyed table's pages split half full.
 */
import type { Knex } from 'knex';

const AUDIT_COLUMNS = `at datetime not null, actor text not null, action text not null, license_id text null,
  version integer null, digest text null, detail text not null, prev_hash text not null, hash text not null`;

export const sqliteAuditRowIdMigration = {
  // The name it was first committed under (when it also rebuilt `signatures`), kept so a ledger
  // that ran it stays known.
  name: '020-sqlite-row-keys',

  async up(knex: Knex): Promise<void> {
    if (!isSqlite(knex)) return;
    await rebuild(
      knex,
      'audit_log',
      `create table audit_log_next (seq integer primary key, ${AUDIT_COLUMNS})`,
    );
    await knex.raw('create index audit_log_at_idx on audit_log (at)');
  },

  async down(knex: Knex): Promise<void> {
    if (!isSqlite(knex)) return;
    // As migration 004 created it.
    await rebuild(
      knex,
      'audit_log',
      `create table audit_log_next (seq bigint, ${AUDIT_COLUMNS}, primary key (seq))`,
    );
    await knex.raw('create index audit_log_at_idx on audit_log (at)');
  },
};

/** Creates `<table>_next` with `create`, copies every row, and puts it in the old one's place. */
async function rebuild(knex: Knex, table: 'audit_log', create: string): Promise<void> {
  await knex.raw(create);
  const columns: { name: string }[] = await knex.raw(`select name from pragma_table_info('${table}')`);
  const list = columns.map((c) => c.name).join(', ');
  await knex.raw(`insert into ${table}_next (${list}) select ${list} from ${table}`);
  await knex.raw(`drop table ${table}`);
  await knex.raw(`alter table ${table}_next rename to ${table}`);
}

function isSqlite(knex: Knex): boolean {
  return ['better-sqlite3', 'sqlite3'].includes(String(knex.client.config.client));
}
