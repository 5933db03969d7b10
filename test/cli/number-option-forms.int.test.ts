import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * A number option is written as digits. Read with Number() alone, `--limit 1e3` listed 1000,
 * `--limit 0x10` 16, `preview --offset ""` skipped none, `reconcile --allow-mass ""` allowed a
 * plan of 0 and `objection resolve 1e1` resolved objection 10, each as if the value had been
 * meant so. Such a value is a usage error (exit 2) naming the option and the value, before
 * anything is opened, as `dlq list --limit` and `status --timeout` already were.
 */

const made = usageConfig('test-number-option-forms', 'licbridge-number-forms-');
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
  expect(r.status).toBe(2);
}

const FORMS = ['1e3', '0x10', '1.0', ''];

describe('number options written otherwise than as digits', () => {
  it.each(FORMS)('lifecycle reminders --limit `%s`', async (value) => {
    await refused(['lifecycle', 'reminders', '--limit', value], '--limit', value);
  });

  it.each(FORMS)('preview --limit `%s`', async (value) => {
    await refused(['preview', 'food', '--limit', value], '--limit', value);
  });

  it.each(FORMS)('preview --offset `%s`', async (value) => {
    await refused(['preview', 'food', '--offset', value], '--offset', value);
  });

  it.each(FORMS)('sign backfill --page-size `%s`', async (value) => {
    await refused(['sign', 'backfill', '--page-size', value], '--page-size', value);
  });

  it.each(FORMS)('sign files --limit `%s`', async (value) => {
    await refused(['sign', 'files', '--seal', 'unit', '--store', dir, '--limit', value], '--limit', value);
  });

  it.each(FORMS)('reconcile --allow-mass `%s`', async (value) => {
    await refused(['reconcile', 'food', '--repair', '--yes', '--allow-mass', value], '--allow-mass', value);
  });

  it.each(FORMS)('objection resolve `%s`', async (value) => {
    await refused(['objection', 'resolve', value, '--rejected', '--note', 'n'], 'objection id', value);
  });
});
