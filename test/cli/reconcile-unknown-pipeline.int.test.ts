import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * `licbridge reconcile <pipeline>` looked its pipeline up only once the check had begun, beside
 * opening the ledger: a mistyped name created and migrated the ledger before it was refused. A name
 * the config does not have, names every object inherits (`toString`) too, is refused first, a usage
 * error naming it, and the ledger is left as it was (here: not there, as before).
 */

const made = usageConfig('test-reconcile-unknown', 'licbridge-reconcile-unknown-');

describe('reconcile of a pipeline the config does not have', () => {
  it.each(['fod', 'toString', 'constructor'])('reconcile %s', async (name) => {
    const r = await licbridge(['reconcile', name, '--config', made.file], {
      cwd: made.dir,
      timeoutMs: 30_000,
    });
    expect(r.stderr).toContain(`\`${name}\``);
    expect(r.stderr).toContain('food');
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.stderr).not.toContain('unexpected failure');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(join(made.dir, 'ledger.db'))).toBe(false);
  });
});
