/**
 * Whether the process driving a run still lives. `licbridge run` writes `<host> <pid>` into its
 * runs and a heartbeat every few seconds. On the same host the process table answers at once (a
 * SIGKILLed `run` is seen dead the moment it is gone); from another host only the heartbeat can,
 * so a run is judged dead there once its heartbeat is `STALE_MS` old.
 */
import { hostname } from 'node:os';
import type { StoredRun } from '../ledger/ledger.js';

/** How often `licbridge run` says it still drives its runs, ms. */
export const HEARTBEAT_MS = 2000;
/** A heartbeat this old means its process is gone (or hung), ms. */
export const STALE_MS = 30_000;

/** This process, as runs record their owner. */
export function processOwner(): string {
  return `${hostname()} ${process.pid}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * `false` when the run is `running` and the process that drives it is gone. Runs without an owner
 * (scheduled runs, worked by whichever worker takes their jobs) are never judged abandoned: a
 * dead worker's extract job is taken over by another worker.
 */
export function runOwnerAlive(run: StoredRun, now = Date.now()): boolean {
  if (run.state !== 'running' || !run.owner) return true;
  const cut = run.owner.lastIndexOf(' ');
  const host = run.owner.slice(0, cut);
  const pid = Number(run.owner.slice(cut + 1));
  const beat = (run.heartbeatAt ?? run.startedAt).getTime();
  if (now - beat > STALE_MS) return false;
  if (host === hostname() && Number.isInteger(pid) && pid > 0) return pidAlive(pid);
  return true;
}
