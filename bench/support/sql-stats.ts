/**
 * Counts and times every SQL statement the ledger runs, by statement shape, from inside the
 * drivers (better-sqlite3's prepared statements, node-postgres's `Client.query`), so a bench can
 * say how many statements and round trips a page costs and where the database time goes. For
 * benchmarks only: it wraps the drivers' prototypes for the whole process.
 */
import { createRequire } from 'node:module';
import { schedstat } from './commit-clock.js';

export interface SqlShape {
  sql: string;
  calls: number;
  /** Wall time in the driver call, ms (on PostgreSQL: the round trip). */
  ms: number;
  /**
   * SQLite: the calling thread's time on a CPU in the call, ms (support/commit-clock.ts; 0 when
   * its clock is not installed). Unlike `ms`, it leaves out waiting for the disk or for a CPU.
   */
  cpuMs: number;
}

const shapes = new Map<string, SqlShape>();
let prepareMs = 0;
let prepares = 0;
/**
 * Compilations by statement shape (SQLite): a text the connection's statement cache
 * (ledger/sqlite-connection.ts) did not keep, or a shape whose text varies page by page (an `IN`
 * list of another length), shows as compiled about once a page.
 */
const prepared = new Map<string, { sql: string; calls: number; ms: number }>();

/** One key per statement shape: bind lists and multi-row value lists collapsed. */
function shapeOf(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/\$\d+/g, '?')
    .replace(/\?(, ?\?)+/g, '?…')
    .replace(/(\(\?…\))(, \(\?…\))+/g, '$1…')
    .replace(/ union all select \?…/g, '')
    .slice(0, 140);
}

function record(sql: string, started: number, cpuNs = 0): void {
  const key = shapeOf(sql);
  const s = shapes.get(key) ?? { sql: key, calls: 0, ms: 0, cpuMs: 0 };
  s.calls += 1;
  s.ms += performance.now() - started;
  s.cpuMs += cpuNs / 1e6;
  shapes.set(key, s);
}

export function installSqlStats(): void {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as { prototype: { prepare(sql: string): unknown } };
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function wrappedPrepare(this: unknown, sql: string) {
    const t0 = performance.now();
    const stmt = prepare.call(this, sql) as Record<string, (...a: unknown[]) => unknown>;
    const took = performance.now() - t0;
    prepareMs += took;
    prepares += 1;
    const key = shapeOf(sql);
    const p = prepared.get(key) ?? { sql: key, calls: 0, ms: 0 };
    p.calls += 1;
    p.ms += took;
    prepared.set(key, p);
    for (const m of ['run', 'all', 'get']) {
      const original = stmt[m];
      if (typeof original !== 'function') continue;
      stmt[m] = function timed(this: unknown, ...args: unknown[]) {
        const started = performance.now();
        const [cpu0] = schedstat();
        try {
          return original.apply(this, args);
        } finally {
          record(sql, started, schedstat()[0] - cpu0);
        }
      };
    }
    return stmt;
  };
  const pg = require('pg') as { Client: { prototype: { query(...a: unknown[]): unknown } } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function wrappedQuery(this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const sql = typeof first === 'string' ? first : (first?.text ?? '');
    const started = performance.now();
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (...cb: unknown[]) => {
        record(sql, started);
        return (last as (...x: unknown[]) => unknown)(...cb);
      };
      return query.apply(this, args);
    }
    const out = query.apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === 'function') {
      return (out as Promise<unknown>).finally(() => record(sql, started));
    }
    // A Submittable (knex passes its own Query object): timed by its end event.
    const sub = first as { on?(e: string, f: () => void): void } | undefined;
    sub?.on?.('end', () => record(sql, started));
    return out;
  };
}

/** A statement shape's compilations: how many, and the wall time they took, ms. */
export interface PreparedShape {
  sql: string;
  calls: number;
  ms: number;
}

/** Statement shapes since the last reset, most time first; and prepares (SQLite), in all and by shape. */
export function takeSqlStats(): {
  shapes: SqlShape[];
  prepares: number;
  prepareMs: number;
  prepared: PreparedShape[];
} {
  const out = {
    shapes: [...shapes.values()].sort((a, b) => b.ms - a.ms),
    prepares,
    prepareMs,
    prepared: [...prepared.values()],
  };
  shapes.clear();
  prepared.clear();
  prepares = 0;
  prepareMs = 0;
  return out;
}
