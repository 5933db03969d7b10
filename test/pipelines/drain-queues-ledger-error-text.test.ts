/**
 * Emptying its queues, `licbridge run` asks the ledger whether each delayed job's run still runs,
 * and logs a read that failed. It logged the error's message as it came: a driver's words, which
 * may quote a connection URL with its password, went to the log whole. The line now holds the
 * error as every other log line does (errorLine): a URL's user and password masked.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { heldByRunningRun } from '../../pipelines/drain-queues.js';

describe("a drain's failed read of a delayed job's run", () => {
  it('logs the error with a password it quotes masked', async () => {
    const password = randomBytes(12).toString('hex');
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = createLogger({ level: 'info', destination });
    const keep = heldByRunningRun(
      {
        getRun: async () => {
          throw new Error(`connect ETIMEDOUT postgres://licbridge:${password}@ledger-db:5432/licbridge`);
        },
      },
      log,
    );
    expect(await keep({ data: { runId: 'r1' } } as unknown as Job)).toBe(true);
    const logged = lines.join('');
    expect(logged).toContain("the ledger did not say whether a delayed job's run still runs");
    expect(logged).toContain('ETIMEDOUT');
    expect(logged).not.toContain(password);
  });
});
