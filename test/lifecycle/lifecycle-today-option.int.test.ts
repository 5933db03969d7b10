/**
 * `--today` of the lifecycle commands is a day `YYYY-MM-DD`: anything else is a usage error naming
 * the option and the value (exit 2), not a listing "as of 2026-3-1" that judged no day at all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

const made = usageConfig('test-lifecycle-today', 'licbridge-lifecycle-today-');
let dir: string;
let config: string;
beforeAll(() => {
  ({ dir, file: config } = made);
});

describe('lifecycle --today', () => {
  it.each([
    ['reminders', '2026-3-1'],
    ['reminders', '2026-02-30'],
    ['reminders', 'tomorrow'],
    ['run', '2026-13-01'],
  ])('lifecycle %s --today %s', async (command, value) => {
    const r = await licbridge(['lifecycle', command, '--today', value, '--config', config], {
      cwd: dir,
      timeoutMs: 30_000,
    });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--today');
    expect(r.stderr).toContain(`\`${value}\``);
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.status).toBe(2);
  });
});
