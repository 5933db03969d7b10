import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * `dlq replay --wait-seconds` becomes a timer of that many seconds times 1000, and a Node timer
 * holds at most 2147483647 ms: `--wait-seconds 3000000` (to wait long) fired at once, and the
 * replay failed at once saying Redis had not answered for 3000000 s, its letters already taken out
 * of the dead letters. Such a value, and one that is not written as a whole number (`1e3`, `0x10`,
 * `12.0`, empty), is a usage error (exit 2) naming the option and the value, before anything is opened.
 */

const made = usageConfig('test-dlq-wait-seconds', 'licbridge-dlq-wait-seconds-');
beforeAll(async () => {
  // Nothing answers there: a replay that got past its options fails otherwise than as a usage error.
  const text = await readFile(made.file, 'utf8');
  await writeFile(made.file, text.replace('redis://127.0.0.1:6379', 'redis://127.0.0.1:1'));
});

describe('dlq replay --wait-seconds', () => {
  it.each(['3000000', '1e3', '0x10', '12.0', ''])('refuses `%s`', async (value) => {
    const r = await licbridge(['dlq', 'replay', '--all', '--wait-seconds', value, '--config', made.file], {
      cwd: made.dir,
      timeoutMs: 30_000,
    });
    expect(r.stderr).toContain('--wait-seconds');
    expect(r.stderr).toContain(`\`${value}\``);
    expect(r.stderr).toContain('2147483');
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.status).toBe(2);
  });
});
