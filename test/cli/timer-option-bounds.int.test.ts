import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * A time in milliseconds becomes a timer, and Node's timers hold at most 2147483647 ms (about 24.8
 * days): a longer one fires after 1 ms. `worker --schedule-check 3000000000` (a large value to
 * look rarely) looked for missing schedules in Redis every millisecond; `--shutdown-timeout` so
 * large stopped in-flight jobs hard at once; `status --timeout` so large timed every probe out at
 * once and reported the ledger and Redis unreachable. Such a value is a usage error (exit 2) naming
 * the option and the most it takes, before anything is opened. `--lock-duration` and
 * `--stalled-interval` stand in for `queue.lockDurationMs` and `queue.stalledIntervalMs`, and are
 * held to the bounds the config's schema sets those (they took any value).
 */

const made = usageConfig('test-timer-options', 'licbridge-timer-options-');
beforeAll(async () => {
  // Nothing answers there: a command that got past its options fails otherwise than as a usage error.
  const text = await readFile(made.file, 'utf8');
  await writeFile(made.file, text.replace('redis://127.0.0.1:6379', 'redis://127.0.0.1:1'));
});

const TOO_LONG = '3000000000';

async function refused(args: string[], option: string, most = '2147483647'): Promise<void> {
  const r = await licbridge([...args, '--config', made.file], { cwd: made.dir, timeoutMs: 30_000 });
  expect(r.stderr).toContain(`\`${option}\``);
  expect(r.stderr).toContain(`\`${TOO_LONG}\``);
  expect(r.stderr).toContain(most);
  expect(r.stderr).toContain('[LB_USAGE]');
  expect(r.status).toBe(2);
}

describe('a time option longer than a timer holds', () => {
  it.each(['--schedule-check', '--shutdown-timeout'])('worker %s', async (option) => {
    await refused(['worker', option, TOO_LONG], option);
  });

  // These stand in for queue settings: held to the bounds the config's schema sets them.
  it.each([
    ['--lock-duration', 'queue.lockDurationMs'],
    ['--stalled-interval', 'queue.stalledIntervalMs'],
  ])('worker %s, as %s', async (option, setting) => {
    await refused(['worker', option, TOO_LONG], option, `to 600000 (as \`${setting}\`)`);
  });

  it('status --timeout', async () => {
    await refused(['status', '--no-sources', '--timeout', TOO_LONG], '--timeout');
  });

  it('the longest a timer holds is taken', async () => {
    const r = await licbridge(['worker', '--schedule-check', '2147483647', '--config', made.file], {
      cwd: made.dir,
      timeoutMs: 30_000,
    });
    expect(r.stderr).not.toContain('[LB_USAGE]');
    expect(r.stderr).toContain('[LB_QUEUE_UNREACHABLE]');
  });
});
