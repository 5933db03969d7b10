/**
 * Arrays whose type is a database's own: an enum's array, a domain's (`bh[]` of `CREATE DOMAIN bh
 * AS varchar(10)`). Their type OIDs are assigned when the type is made, so no parser knows them, and
 * node-postgres handed over the server's array text, `{a,NULL,b}`, which `list` refused as no JSON
 * where a `text[]` is JSON list text. Each connection first reads from the catalog which array
 * OIDs are such types' and which array each stands for: an enum's as `text[]` (a lone enum is its
 * label, as text), a domain's as its base type's array through domains over domains (a domain over
 * `char(6)` as `bpchar[]`, trimmed as that is; over `date` as `date[]`). A type made while a
 * connection is open is known to the next connection opened; until then its arrays read as before.
 */
import type { PgClient } from '../../../../core/pg-query-bound.js';

/** `_text`: an enum's array reads as a text array (array-values.ts TEXT_ARRAYS). */
const TEXT_ARRAY = 1009;

/** Array type OIDs of the database's own types, and the built-in array OID each reads as. */
export type UserArrays = Map<number, number>;

/**
 * Every array of an enum or a domain, with the array type it reads as; an array of a domain whose
 * base has no array type (a domain over an array) is left out. `prefix` is the catalog's
 * (`pg_`, KingbaseES `sys_`).
 */
function userArraysSql(prefix: 'pg_' | 'sys_'): string {
  const type = `${prefix}type`;
  return `WITH RECURSIVE d (arr, base) AS (
      SELECT a.oid, a.typelem FROM ${type} a JOIN ${type} e ON e.oid = a.typelem
       WHERE a.typcategory = 'A' AND e.typtype IN ('d', 'e')
      UNION ALL
      SELECT d.arr, t.typbasetype FROM d JOIN ${type} t ON t.oid = d.base AND t.typtype = 'd')
    SELECT CAST(d.arr AS text) AS arr,
           CAST(CASE WHEN b.typtype = 'e' THEN ${TEXT_ARRAY} ELSE b.typarray END AS text) AS reads_as
      FROM d JOIN ${type} b ON b.oid = d.base
     WHERE b.typtype <> 'd' AND (b.typtype = 'e' OR b.typarray <> 0)`;
}

/**
 * What a source tells, once, when its catalog's types cannot be read (`sys_type` of a KingbaseES
 * without `typarray`, a role refused it): the SQLSTATE alone, never the server's message.
 */
export function catalogUnreadNote(source: string, prefix: 'pg_' | 'sys_', sqlstate: string): string {
  return (
    `source ${source}: ${prefix}type could not be read (SQLSTATE ${sqlstate}): an enum's or a ` +
    "domain's array reads as the server's array text ({a,NULL,b}), which list refuses; read it as " +
    'CAST(col AS text[]) AS col in a query stream'
  );
}

/**
 * Reads the database's own array types into `arrays` on a new connection, then calls `done`. A
 * catalog that cannot be read leaves them unknown (read as the server's text, as before) and is
 * told to `unread` with the error's SQLSTATE; a connection whose lookup went unanswered
 * (core/pg-query-bound.ts dropped it) fails its creation.
 */
export function learnUserArrays(
  conn: PgClient,
  arrays: UserArrays,
  prefix: 'pg_' | 'sys_',
  done: (err: Error | null, conn: unknown) => void,
  unread: (sqlstate: string) => void,
): void {
  conn.query(
    { text: userArraysSql(prefix) },
    (err: Error | null, res?: { rows: { arr: string; reads_as: string }[] }) => {
      if (err && conn.__knex__disposed) return done(err, conn);
      if (err) {
        const code = (err as { code?: unknown }).code;
        unread(typeof code === 'string' ? code : 'none');
      }
      for (const r of res?.rows ?? []) arrays.set(Number(r.arr), Number(r.reads_as));
      done(null, conn);
    },
  );
}
