/**
 * Emptying a queue prefix's keys in Redis as a FLUSHDB would, for tests of what licbridge does
 * when Redis loses its keys while it works. Clearing a prefix between tests, with nothing running,
 * is demo-workspace.ts `obliterate` (a page of keys at a time).
 */
import { Redis } from 'ioredis';

/**
 * Every key under `prefix` gone in one step, as a FLUSHDB or a restart without persistence takes
 * them: a script runs alone on the server. Deleted a page at a time (SCAN), the workers go on
 * writing between pages, and what they wrote meanwhile (a job's hash without its place in a
 * list) is a state no flush leaves.
 */
export async function wipeAtOnce(prefix: string): Promise<void> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
  try {
    await redis.eval(
      `local keys = redis.call('KEYS', ARGV[1])
       for i = 1, #keys, 1000 do redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys))) end
       return #keys`,
      0,
      `${prefix}:*`,
    );
  } finally {
    redis.disconnect();
  }
}
