/**
 * `--sql-stats` of bench/pipeline.ts, minute by minute: the statement shapes of support/sql-stats.ts
 * taken every minute of a run, so a statement that slows as the ledger grows shows as its time a
 * call in the first minute against the last (a total over the run hides it); printed after each
 * run (`printSqlStats`).
 */
import { type PreparedShape, type SqlShape, takeSqlStats } from './support/sql-stats.js';

export class SqlMinutes {
  readonly #minutes: SqlShape[][] = [];
  #prepares = 0;
  #prepareMs = 0;
  readonly #prepared = new Map<string, PreparedShape>();
  #timer: NodeJS.Timeout | undefined;

  start(): void {
    takeSqlStats();
    this.#timer = setInterval(() => this.#take(), 60_000);
  }

  #take(): void {
    const s = takeSqlStats();
    this.#minutes.push(s.shapes);
    this.#prepares += s.prepares;
    this.#prepareMs += s.prepareMs;
    for (const p of s.prepared) {
      const t = this.#prepared.get(p.sql) ?? { sql: p.sql, calls: 0, ms: 0 };
      t.calls += p.calls;
      t.ms += p.ms;
      this.#prepared.set(p.sql, t);
    }
  }

  /** Stops the clock; the shapes over the whole run, and each minute's (the last one partial). */
  stop(): {
    shapes: SqlShape[];
    minutes: SqlShape[][];
    prepares: number;
    prepareMs: number;
    prepared: PreparedShape[];
  } {
    clearInterval(this.#timer);
    this.#take();
    const total = new Map<string, SqlShape>();
    for (const minute of this.#minutes) {
      for (const s of minute) {
        const t = total.get(s.sql) ?? { sql: s.sql, calls: 0, ms: 0, cpuMs: 0 };
        t.calls += s.calls;
        t.ms += s.ms;
        t.cpuMs += s.cpuMs;
        total.set(s.sql, t);
      }
    }
    const shapes = [...total.values()].sort((a, b) => b.ms - a.ms);
    const prepared = [...this.#prepared.values()].sort((a, b) => b.calls - a.calls);
    return {
      shapes,
      minutes: this.#minutes,
      prepares: this.#prepares,
      prepareMs: this.#prepareMs,
      prepared,
    };
  }
}

/** Milliseconds a call of `sql` in each minute, `-` where it ran not at all. */
export function msPerCallByMinute(minutes: readonly SqlShape[][], sql: string): string[] {
  return minutes.map((m) => {
    const s = m.find((x) => x.sql === sql);
    return s && s.calls > 0 ? (s.ms / s.calls).toFixed(1) : '-';
  });
}

/**
 * Statement shapes of the run just ended (`rows` legacy rows), to stderr: calls per page of 500
 * rows, driver time, and the time a call minute by minute (first → last) of the shapes that took
 * most.
 */
export function printSqlStats(kind: string, sqlMinutes: SqlMinutes, rows: number): void {
  const { shapes, minutes, prepares, prepareMs, prepared } = sqlMinutes.stop();
  const pages = rows / 500;
  const calls = shapes.reduce((a, s) => a + s.calls, 0);
  const ms = shapes.reduce((a, s) => a + s.ms, 0);
  const cpuMs = shapes.reduce((a, s) => a + s.cpuMs, 0);
  process.stderr.write(
    `  ${kind} SQL: ${calls} statements (${(calls / pages).toFixed(1)} per page of 500 rows), ${(ms / 1000).toFixed(1)} s in the driver (${(cpuMs / 1000).toFixed(1)} s of it on the calling thread's CPU, SQLite); ${prepares} prepares, ${(prepareMs / 1000).toFixed(1)} s\n`,
  );
  process.stderr.write('    wall s   CPU s  calls/page  (most wall first; CPU: SQLite only)\n');
  for (const s of shapes.slice(0, 20)) {
    process.stderr.write(
      `    ${(s.ms / 1000).toFixed(1).padStart(6)} ${(s.cpuMs / 1000).toFixed(2).padStart(7)} ${(s.calls / pages).toFixed(2).padStart(9)}  ${s.sql}\n`,
    );
  }
  // A shape compiled about once a page or more: its text is not kept, or differs page by page.
  process.stderr.write(`  ${kind} SQL: compiled most often (compilations a page, wall ms in all)\n`);
  for (const p of prepared.slice(0, 8)) {
    process.stderr.write(
      `    ${(p.calls / pages).toFixed(2).padStart(6)} ${p.ms.toFixed(0).padStart(6)}  ${p.sql.slice(0, 110)}\n`,
    );
  }
  process.stderr.write(`  ${kind} SQL: ms a call, minute by minute (the last minute partial)\n`);
  for (const s of shapes.slice(0, 8)) {
    process.stderr.write(`    ${msPerCallByMinute(minutes, s.sql).join(' ')}  ${s.sql.slice(0, 90)}\n`);
  }
}
