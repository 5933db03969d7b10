/**
 * The main thread's time in SQLite's COMMIT, split by the kernel's own account of the thread
 * (`/proc/thread-self/schedstat`: nanoseconds on a CPU, nanoseconds runnable and waiting for one):
 * what is neither is the thread asleep, the ledger's `synchronous = FULL` waiting for the disk.
 *
 * Why a bench needs it: V8's sampling profiler takes a sample of a thread blocked in a native call
 * when the call returns, with the whole wait as its time, so a COMMIT waiting 15 ms for fsync
 * reads in the profile as 15 ms of the ledger's CPU. The pipeline bench splits the main thread's
 * CPU time (from /proc) between stages by their samples: the sleep is taken out of the ledger's
 * samples first, or every other stage is understated by the share the disk took.
 *
 * For benchmarks only: it wraps better-sqlite3's `prepare` for the whole process. Linux only; on
 * a system without the file every figure reads 0.
 */
import { openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface CommitTime {
  calls: number;
  /** Wall time in the COMMIT calls, ms. */
  wallMs: number;
  /** On a CPU, ms. */
  cpuMs: number;
  /** Runnable, waiting for a CPU others held, ms (a loaded machine). */
  runnableMs: number;
  /** Neither: asleep, waiting for the disk, ms. */
  asleepMs: number;
}

const totals = { calls: 0, wallNs: 0, cpuNs: 0, runnableNs: 0 };
let fd: number | undefined;
const buf = Buffer.alloc(128);

/** [ns on a CPU, ns runnable] of the thread that installed the clock ([0, 0] before it is). */
export function schedstat(): [number, number] {
  if (fd === undefined) return [0, 0];
  const n = readSync(fd, buf, 0, buf.length, 0);
  const [run, wait] = buf.toString('latin1', 0, n).split(' ');
  return [Number(run), Number(wait)];
}

/**
 * Wraps every prepared `COMMIT` (knex's better-sqlite3 dialect runs `COMMIT;` through `prepare`).
 * Call on the thread that commits: the file opened here describes the thread that opens it.
 */
export function installCommitClock(): void {
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return;
  }
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as { prototype: { prepare(sql: string): unknown } };
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function clockedPrepare(this: unknown, sql: string) {
    const stmt = prepare.call(this, sql) as { run(...a: unknown[]): unknown };
    if (!/^\s*commit\b/i.test(sql)) return stmt;
    const run = stmt.run;
    stmt.run = function clockedRun(this: unknown, ...args: unknown[]) {
      const [cpu0, wait0] = schedstat();
      const t0 = process.hrtime.bigint();
      try {
        return run.apply(this, args);
      } finally {
        const wall = Number(process.hrtime.bigint() - t0);
        const [cpu1, wait1] = schedstat();
        totals.calls += 1;
        totals.wallNs += wall;
        totals.cpuNs += cpu1 - cpu0;
        totals.runnableNs += wait1 - wait0;
      }
    };
    return stmt;
  };
}

/** The COMMIT time so far (since `installCommitClock`); subtract two readings for a run's. */
export function commitTime(): CommitTime {
  const ms = (ns: number) => ns / 1e6;
  return {
    calls: totals.calls,
    wallMs: ms(totals.wallNs),
    cpuMs: ms(totals.cpuNs),
    runnableMs: ms(totals.runnableNs),
    asleepMs: ms(Math.max(0, totals.wallNs - totals.cpuNs - totals.runnableNs)),
  };
}

export function commitTimeSince(before: CommitTime): CommitTime {
  const now = commitTime();
  return {
    calls: now.calls - before.calls,
    wallMs: now.wallMs - before.wallMs,
    cpuMs: now.cpuMs - before.cpuMs,
    runnableMs: now.runnableMs - before.runnableMs,
    asleepMs: Math.max(0, now.asleepMs - before.asleepMs),
  };
}
