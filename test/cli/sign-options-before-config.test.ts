/**
 * `sign backfill --limit 1e3` and `--page-size 0` were checked only after the config was read,
 * so with a config that could not be read the user was told about the config and, once that was
 * fixed, about the option. Option mistakes are told first, before the config is read (exit 2
 * naming the option, with a config path that does not exist), for sign resign too.
 */
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';

const MISSING = '/nonexistent/licbridge-sign-options.yaml';

describe('sign option mistakes before the config', () => {
  it.each([
    [['backfill', '--limit', '1e3'], '--limit', '1e3'],
    [['backfill', '--page-size', '0'], '--page-size', '0'],
    [['backfill', '--files-page-size', '0x10'], '--files-page-size', '0x10'],
    [['backfill', '--progress-interval', '1.5'], '--progress-interval', '1.5'],
    [['resign', '--seal', 'main', '--limit', '0'], '--limit', '0'],
    [['resign', '--seal', 'main', '--page-size', '1e2'], '--page-size', '1e2'],
  ])('%j', async (args, option, value) => {
    const r = await licbridge(['sign', ...args, '--config', MISSING], { timeoutMs: 30_000 });
    expect(r.stderr).toContain(`\`${option}\``);
    expect(r.stderr).toContain(`\`${value}\``);
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.stderr).not.toContain('nonexistent');
    expect(r.status).toBe(2);
  });
});
