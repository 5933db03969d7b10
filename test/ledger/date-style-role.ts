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
  /** A session of the shared role, in the ISO style whatever the server's default. */
  readonly admin: pg.Client;
  /** Drops the schema and the role. */
  drop(): Promise<void>;
}

export async function dateStyleRole(style: string): Promise<DateStyleRole> {
  const suffix = randomBytes(6).toString('hex');
  const role = `licbridge_datestyle_${suffix}`;
  const schema = `lb_${suffix}`;
  // Its own password, as a server that asks for one (md5, scram) wants of a login role.
  const password = randomBytes(12).toString('hex');
  const admin = new pg.Client({ connectionString: PG_URL });
  /** Drops what was made, each step tried whatever the one before did; the first error, if any. */
  const dropAll = () =>
    eachTried([
      () => unmarkPgLedger(schema),
      () => admin.query(`drop schema if exists ${schema} cascade`),
      // What else the role owns or was granted here, which would keep the role from being dropped.
      () => admin.query(`drop owned by ${role} cascade`),
      () => admin.query(`drop role if exists ${role}`),
    ]);
  // A connect that failed made nothing, and node-postgres closes its own socket then.
  await admin.connect();
  try {
    // The admin's reads are what the ledger's are checked against: on a server whose default is
    // not ISO, node-postgres read them as null, and a ledger's null equalled them.
    await admin.query('set datestyle to iso');
    await admin.query(`create role ${role} login password '${password}'`);
    await admin.query(`alter role ${role} set datestyle = '${style}'`);
    await admin.query(`alter role ${role} set timezone = 'Asia/Shanghai'`);
    await admin.query(`create schema ${schema} authorization ${role}`);
    await markPgLedger(PG_URL, schema);
  } catch (e) {
    // Nothing left on the shared server of a set-up that failed half way, and no client open.
    await eachTried([dropAll, () => admin.end()]).catch(() => undefined);
    throw e;
  }
  const url = new URL(PG_URL);
  url.username = role;
  url.password = password;
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    admin,
    async drop() {
      await eachTried([dropAll, () => admin.end()]);
    },
  };
}

/** Runs every step, each whether or not one before it failed, and rejects with the first error. */
async function eachTried(steps: readonly (() => unknown)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length > 0) throw errors[0];
}
