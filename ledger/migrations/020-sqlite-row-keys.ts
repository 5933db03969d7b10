/**
 * SQLite only: two tables whose primary key was a second copy of each row's key.
 * - `audit_log.seq` becomes the table's own row id (`integer primary key`): a `bigint` primary
 *   key is an index beside the table on SQLite, ~40 bytes per license for the three entries.
 * - `signatures` is kept in its primary key's order (`without rowid`): its rows are read and
 *   written by (version, seal) only, so the table is the index, ~30 bytes per license.
 * Every value is copied as it is — the audit chain hashes what is stored, and verifies the same.
 * PostgreSQL keeps both as they are: its primary keys are indexes either way.
 */
import type { Knex } from 'knex';

const AUDIT_COLUMNS = `at datetime not null, actor text not null, action text not null, license_id text null,
  version integer null, digest text null, detail text not null, prev_hash text not null, hash text not null`;

const SIGNATURE_COLUMNS = `version_id bigint not null, seal_id text not null, content_hash text not null,
  algorithm text not null, digest text not null, signature blob not null, dist_id text not null,
  signer_kind text not null, certificate_serial text null, certificate_issuer text null, signed_at datetime not null,
  foreign key (version_id) references license_versions (version_id),
  constraint signatures_pk primary key (version_id, seal_id)`;

export const sqliteRowKeysMigration = {
  name: '020-sqlite-row-keys',

  async up(knex: Knex): Promise<void> {
    if (!isSqlite(knex)) return;
    await rebuild(
      knex,
      'audit_log',
      `create table audit_log_next (seq integer primary key, ${AUDIT_COLUMNS})`,
    );
    await knex.raw('create index audit_log_at_idx on audit_log (at)');
    await rebuild(knex, 'signatures', `create table signatures_next (${SIGNATURE_COLUMNS}) without rowid`);
  },

  async down(knex: Knex): Promise<void> {
    if (!isSqlite(knex)) return;
    // As migration 004 and 001 created them.
    await rebuild(
      knex,
      'audit_log',
      `create table audit_log_next (seq bigint, ${AUDIT_COLUMNS}, primary key (seq))`,
    );
    await knex.raw('create index audit_log_at_idx on audit_log (at)');
    await rebuild(knex, 'signatures', `create table signatures_next (${SIGNATURE_COLUMNS})`);
  },
};

/** Creates `<table>_next` with `create`, copies every row, and puts it in the old one's place. */
async function rebuild(knex: Knex, table: 'audit_log' | 'signatures', create: string): Promise<void> {
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
