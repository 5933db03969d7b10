/**
 * A PostgreSQL ledger opened by a login role of a test's own whose sessions print timestamps in a
 * DateStyle other than ISO, at TimeZone Asia/Shanghai (whose abbreviation, CST, the server reads
 * back as US Central time), as a database or role may be set up for an application that shows
 * dd/mm/yyyy. The role owns the ledger's schema and nothing more; the shared database and role
 * keep their settings, so tests running beside it are not touched.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from './backends.js';
import { markPgLedger, unmarkPgLedger } from './pg-ledger-template.js';

export interface DateStyleRole {
  /** The ledger's URL: the role's, with its schema. */
  readonly url: string;
  readonly schema: string;
  /** A session of the shared role, in the server's own (ISO) style. */
  readonly admin: pg.Client;
  /** Drops the schema and the role. */
  drop(): Promise<void>;
}

export async function dateStyleRole(style: string): Promise<DateStyleRole> {
  const suffix = randomBytes(6).toString('hex');
  const role = `licbridge_datestyle_${suffix}`;
  const schema = `lb_${suffix}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create role ${role} login`);
  await admin.query(`alter role ${role} set datestyle = '${style}'`);
  await admin.query(`alter role ${role} set timezone = 'Asia/Shanghai'`);
  await admin.query(`create schema ${schema} authorization ${role}`);
  await markPgLedger(PG_URL, schema);
  const url = new URL(PG_URL);
  url.username = role;
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    admin,
    async drop() {
      unmarkPgLedger(schema);
      try {
        await admin.query(`drop schema if exists ${schema} cascade`);
        await admin.query(`drop role if exists ${role}`);
      } finally {
        await admin.end();
      }
    },
  };
}
