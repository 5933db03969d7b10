import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * `quarantine list --reason LB_HOLDERID_CHECK` (a typo of LB_HOLDER_ID_CHECK) printed `共 0 条待处理的
 * 问题数据` and exited 0: read as "no row to fix for that reason", as `dlq list --target provnce`
 * was read as a clear target. A code licbridge does not know and no row on the worklist holds is
 * refused (exit 2), naming the close code; a known code with no row is an empty list, as before.
 */

const made = usageConfig('test-quarantine-reason', 'licbridge-quarantine-reason-');

// The ledger a run would have made: the listing reads it and never makes one (a ledger that is not
// there is refused, test/pipelines/read-only-missing-ledger).
beforeAll(async () => {
  const ledger = await openSqliteLedger(join(made.dir, 'ledger.db'), {
    logger: createLogger({ level: 'silent' }),
  });
  await ledger.close();
});

const run = (args: string[]) =>
  licbridge(['quarantine', ...args, '--config', made.file], { cwd: made.dir, timeoutMs: 30_000 });

describe('quarantine with a reason code nothing holds', () => {
  it.each([['list'], ['list', '--json'], ['export', 'worklist.csv']])(
    '%s refuses a code licbridge does not know, suggesting the close one',
    async (...args) => {
      const r = await run([...args, '--reason', 'LB_HOLDERID_CHECK']);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('unknown `--reason` `LB_HOLDERID_CHECK`');
      expect(r.stderr).toContain('LB_HOLDER_ID_CHECK');
      expect(r.stdout).toBe('');
    },
  );

  it('a known code with no row is an empty list, exit 0', async () => {
    const r = await run(['list', '--json', '--reason', 'LB_HOLDER_ID_CHECK']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ count: 0, entries: [] });
  });
});
