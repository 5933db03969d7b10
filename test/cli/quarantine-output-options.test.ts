/**
 * `quarantine list --json --csv` printed JSON alone, as if `--csv` had not been given, and
 * `--lang fr` was refused only for the text output (`--json --lang fr`, `export --lang fr` went
 * through). Output options that conflict are refused naming both, and `--lang` is checked whatever
 * the output: before the config is read (exit 2 with a config file that does not exist).
 */
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';

const run = (args: string[]) =>
  licbridge(['quarantine', ...args, '--config', '/nonexistent/licbridge-quarantine.yaml'], {
    timeoutMs: 30_000,
  });

describe('quarantine output options', () => {
  it.each([
    [['--json', '--csv'], '--json', '--csv'],
    [['--csv', '--html'], '--csv', '--html'],
    [['--html', '--json'], '--json', '--html'],
  ])('list %j is refused naming both', async (options, a, b) => {
    const r = await run(['list', ...options]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`\`${a}\``);
    expect(r.stderr).toContain(`\`${b}\``);
    expect(r.stderr).not.toContain('nonexistent');
    expect(r.stdout).toBe('');
  });

  it.each([
    [['list']],
    [['list', '--json']],
    [['list', '--csv']],
    [['list', '--html']],
    [['export', 'worklist.csv']],
  ])('%j refuses a --lang other than zh or en', async (args) => {
    const r = await run([...args, '--lang', 'fr']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('expected `--lang` to be zh or en, got `fr`');
    expect(r.stdout).toBe('');
  });
});
