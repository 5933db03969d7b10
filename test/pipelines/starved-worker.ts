/**
 * A worker starved of CPU, for the stall tests (stall-slow-worker*.int.test.ts): locks at the
 * shortest the config allows, and a block of the event loop past them. The scenarios are split
 * over files so they run side by side: each holds its own process's event loop, one copy at a time.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { DemoWorkspace } from '../support/demo-workspace.js';

/** `queue.lockDurationMs` at its minimum: each starved copy holds its job this long. */
export const LOCK_MS = 1000;
/**
 * Longer than the lock: a job that blocks this long loses its lock before it goes on. BullMQ sets
 * the lock (in Redis, on this host's clock) as it hands the job over, before the processor runs,
 * so a little past it is enough: each starved copy holds the loop, and the file, no longer than it must.
 */
export const BLOCK_MS = LOCK_MS + 50;

/**
 * Holds the event loop for `ms`, as a process starved of CPU does: no timer, no lock renewal, no
 * stalled check runs meanwhile. The thread sleeps in Atomics.wait rather than spinning: blocked
 * the same, without burning a core (a spin took ~50 s of CPU over these files' copies, from the
 * other test files running beside them).
 */
export function starve(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The workspace's config with the shortest lock and stalled check the config allows. */
export async function shortLocks(ws: DemoWorkspace): Promise<void> {
  const text = await readFile(ws.configFile, 'utf8');
  await writeFile(
    ws.configFile,
    text.replace(
      'connectTimeoutMs: 3000 }',
      `connectTimeoutMs: 3000, lockDurationMs: ${LOCK_MS}, stalledIntervalMs: 500 }`,
    ),
  );
}
