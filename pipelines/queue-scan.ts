/**
 * A queue's unfinished jobs, read page by page for the recovery and the liveness checks
 * (sweep.ts, run-liveness.ts). Only each job's id and `data` field are read (references only:
 * queues.ts): reading whole jobs (options, progress, stack traces) took ~14 s a queue at 100,000
 * waiting jobs, on every schedule tick and `status`.
 */
import type { Queue } from 'bullmq';

/**
 * Unfinished states, in the order jobs move through them (a retry goes back to delayed): a job
 * that moves between two readings is met again in a later one, so a scan does not miss it.
 */
export const UNFINISHED = [
  'delayed',
  'prioritized',
  'waiting',
  'waiting-children',
  'active',
  'delayed',
] as const;

/**
 * The states a scan reads by default: UNFINISHED, active read first too. A job goes back from
 * active to waiting as well (a Retry-After's rate limit, the stalled check, a retry without
 * backoff), and one moved back after `waiting` was read and before `active` was met nowhere.
 */
const SCANNED = ['active', ...UNFINISHED] as const;
const SCAN_PAGE = 500;

/** A job met by a scan: its id and its `data` field's JSON text (`null` for a job gone meanwhile). */
export interface ScannedJob {
  id: string;
  data: string | null;
}

/**
 * The queue's unfinished jobs, a page of ids at a time with their data in one round trip; a queue
 * holding no unfinished job is answered by its counts alone. A job may be met twice. `states`:
 * only the jobs in those (`['delayed']`: jobs waiting out a backoff or a deferral).
 *
 * Each state's ids are read at once, then paged. Read a page at a time by position, a state lost
 * jobs to the scan: workers take the oldest waiting (and prioritized) jobs, promotion the earliest
 * delayed ones, completion any active one, and each job leaving before the next page moved those
 * after it a place nearer the start, where no page read them, though they were still there.
 */
export async function* unfinishedJobs(
  queue: Queue,
  states: readonly (typeof UNFINISHED)[number][] = SCANNED,
): AsyncGenerator<ScannedJob[]> {
  const counts = await queue.getJobCounts(...new Set(states));
  if (!Object.values(counts).some((n) => n > 0)) return;
  const client = await queue.getBackend().client;
  for (const state of states) {
    // Ids only (~40 bytes a job): 100,000 waiting jobs are a reply of a few MB.
    const all = await queue.getRanges([state], 0, -1, true);
    for (let start = 0; start < all.length; start += SCAN_PAGE) {
      const ids = all.slice(start, start + SCAN_PAGE);
      const datas = await Promise.all(ids.map((id) => client.hget(queue.toKey(id), 'data')));
      yield ids.map((id, i) => ({ id, data: datas[i] ?? null }));
    }
  }
}

/** A job's data as an object; `undefined` for data that is not JSON of an object. */
export function jobData(data: string | null): Record<string, unknown> | undefined {
  if (data === null) return undefined;
  try {
    const parsed = JSON.parse(data) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
