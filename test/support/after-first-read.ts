/**
 * Runs `then` once, right after the first read of `queue`'s jobs in the states `reads` picks (the
 * states as given to the read: a name or a list), whether the read took ids (`getRanges`) or whole
 * jobs (`getJobs`), before the reader sees what it read. A test so makes workers take or remove jobs
 * between two pages of a read by position. The spies go with `vi.restoreAllMocks()`.
 */
import type { Queue } from 'bullmq';
import { vi } from 'vitest';

export function afterFirstRead(
  queue: Queue,
  reads: (types: unknown) => boolean,
  then: () => Promise<void>,
): void {
  let done = false;
  const after = async (types: unknown) => {
    if (done || !reads(types)) return;
    done = true;
    await then();
  };
  const ranges = queue.getRanges.bind(queue);
  vi.spyOn(queue, 'getRanges').mockImplementation(async (...args) => {
    const ids = await ranges(...args);
    await after(args[0]);
    return ids;
  });
  const jobs = queue.getJobs.bind(queue);
  vi.spyOn(queue, 'getJobs').mockImplementation(async (...args) => {
    const found = await jobs(...args);
    await after(args[0]);
    return found;
  });
}
