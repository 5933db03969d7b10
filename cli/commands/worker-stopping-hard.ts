import type { WorkerSet } from '../../pipelines/workers.js';

/**
 * What `licbridge worker` logs as it stops hard: its close outlasted `--shutdown-timeout`, or a
 * second signal came, with jobs still running — or with none running, its close waiting on Redis
 * (BullMQ's close of its connections, a job's outcome being written, which a Redis that stopped
 * answering never lets end) or on the settling of jobs that stalled out. Each of these was once
 * told as in-flight jobs that did not finish, though none may have been running.
 */
export function stoppingHard(
  how: 'timeout' | 'signal',
  { on, running }: ReturnType<WorkerSet['waitingOn']>,
): [{ jobs: number }, string] {
  if (on === 'jobs') {
    return [
      { jobs: running },
      how === 'signal'
        ? 'worker: a second signal came while jobs were still running; stopping hard'
        : 'worker: in-flight jobs did not finish in time; stopping hard',
    ];
  }
  const waitedOn =
    on === 'redis'
      ? 'Redis'
      : 'the ledger or Redis (jobs that stalled out being settled, run completions recorded)';
  return [
    { jobs: 0 },
    how === 'signal'
      ? `worker: a second signal came while the close waited on ${waitedOn}, no job running; stopping hard`
      : `worker: no job was running, but the close did not finish in time: ${waitedOn} did not answer; stopping hard`,
  ];
}
