import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * A `--pipeline` is looked up among the config's pipelines, its own names only. Looked up with
 * `in` or by index, a name every object inherits (`toString`, `constructor`) was found:
 * `lifecycle reminders --pipeline toString` listed nothing and exited 0, as if no reminder were
 * due, and `sign files --pipeline constructor` went on past the check. Each is refused as any
 * other name the config does not have: a usage error naming it, exit 2.
 */

const made = usageConfig('test-pipeline-inherited', 'licbridge-pipeline-inherited-');
let dir: string;
let config: string;
beforeAll(() => {
  ({ dir, file: config } = made);
});

async function refused(args: string[], value: string): Promise<void> {
  const r = await licbridge([...args, '--config', config], { cwd: dir, timeoutMs: 30_000 });
  expect(r.stderr).toContain('--pipeline');
  expect(r.stderr).toContain(`\`${value}\``);
  expect(r.stderr).toContain('[LB_USAGE]');
  expect(r.stderr).not.toContain('unexpected failure');
  expect(r.status).toBe(2);
}

describe('a --pipeline name every object inherits', () => {
  it.each(['toString', 'constructor', '__proto__'])('lifecycle reminders --pipeline %s', async (name) => {
    await refused(['lifecycle', 'reminders', '--pipeline', name], name);
  });

  it.each(['toString', 'constructor', '__proto__'])('sign files --pipeline %s', async (name) => {
    await refused(['sign', 'files', '--seal', 'unit', '--store', dir, '--pipeline', name], name);
  });
});
