/**
 * BullMQ's classes, loaded with `require`. The package gives Node only its CommonJS build, whose
 * index re-exports ~170 files. Imported as an ES module, Node lexes each of those files once more
 * to learn their export names, besides running them: about 0.2 s of CPU on every start of a
 * command that queues work (`run`, `worker`, `schedule`, `dlq`, `status`). Loaded with `require`,
 * each file is read once. Types still come from `import type … from 'bullmq'`.
 */
import { createRequire } from 'node:module';

export const bullmq = createRequire(import.meta.url)('bullmq') as typeof import('bullmq');

/**
 * BullMQ's Redis backend of a worker or an event stream (the only backend licbridge uses), with
 * the parts a drop reaches past its types: the forced close, which tears each connection down in
 * any state, and each connection's own disconnect.
 */
export interface RedisBackend {
  close(force: boolean): Promise<void>;
  connection?: { disconnect(wait?: boolean): Promise<void> };
  blockingConnection?: { disconnect(wait?: boolean): Promise<void> };
}

/** The Redis backend of `owner` (a Worker, a QueueEvents). */
export function redisBackend(owner: { getBackend(): unknown }): RedisBackend {
  return owner.getBackend() as RedisBackend;
}
