import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * Option values a command cannot use are refused as usage errors (exit 2, naming the option and
 * the value) before anything is opened, instead of being taken as NaN or a negative number, or
 * as a name that selects nothing and exits 0.
 */

const made = usageConfig('test-option-values', 'licbridge-options-');
let dir: string;
let config: string;
beforeAll(() => {
  ({ dir, file: config } = made);
});

async function refused(args: string[], option: string, value: string): Promise<void> {
  const r = await licbridge([...args, '--config', config], { cwd: dir, timeoutMs: 30_000 });
  expect(r.stderr).toContain(option);
  expect(r.stderr).toContain(`\`${value}\``);
  expect(r.stderr).toContain('[LB_USAGE]');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.status).toBe(2);
}

describe('numeric options', () => {
  it.each([
    ['--timeout', 'abc'],
    ['--timeout', '-5'],
    ['--timeout', '0'],
    ['--lag-limit', 'abc'],
    ['--lag-limit', '-1'],
  ])('status %s %s', async (option, value) => {
    await refused(['status', '--no-sources', option, value], option, value);
  });
});

describe('dlq list --limit', () => {
  it.each(['abc', '-1', '0', '1.5'])('--limit %s', async (value) => {
    await refused(['dlq', 'list', '--limit', value], '--limit', value);
  });
});

describe('serve --port', () => {
  it.each(['abc', '-1', '65536'])('--port %s', async (value) => {
    await refused(['serve', '--port', value], '--port', value);
  });
});

describe('names that select nothing', () => {
  it('dlq replay --target names a target the config does not have', async () => {
    await refused(['dlq', 'replay', '--target', 'provnice', '--all'], '--target', 'provnice');
  });

  it('lifecycle reminders --pipeline names a pipeline the config does not have', async () => {
    await refused(['lifecycle', 'reminders', '--pipeline', 'fod'], '--pipeline', 'fod');
  });

  it('run with a pipeline and --all: which was meant is not sure, so neither runs', async () => {
    await refused(['run', 'food', '--all'], '--all', 'food');
  });
});

describe('LICBRIDGE_LOG_LEVEL', () => {
  it('a level pino does not know is named with the variable, exit 2', async () => {
    const r = await licbridge(['status', '--no-sources', '--config', config], {
      cwd: dir,
      env: { LICBRIDGE_LOG_LEVEL: 'verbose' },
      timeoutMs: 30_000,
    });
    expect(r.stderr).toContain('LICBRIDGE_LOG_LEVEL');
    expect(r.stderr).toContain('`verbose`');
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.stderr).not.toContain('unexpected failure');
    expect(r.status).toBe(2);
  });

  it('LICBRIDGE_LOG_FORMAT that is neither json nor text is named too, not ignored', async () => {
    const r = await licbridge(['status', '--no-sources', '--config', config], {
      cwd: dir,
      env: { LICBRIDGE_LOG_FORMAT: 'jsno' },
      timeoutMs: 30_000,
    });
    expect(r.stderr).toContain('LICBRIDGE_LOG_FORMAT');
    expect(r.stderr).toContain('`jsno`');
    expect(r.status).toBe(2);
  });
});
