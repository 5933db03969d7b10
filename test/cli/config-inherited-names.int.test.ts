import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * A pipeline named on the command line is looked up among the config's own pipelines. The
 * config's maps had the prototype every object has, so a name it inherits (`toString`,
 * `constructor`) passed the lookup: `run toString` said "unknown source `undefined`",
 * `lifecycle run --pipeline toString` wrote a tick for it into the ledger before failing,
 * `preview constructor` ended in "unexpected failure", `quarantine list --pipeline toString`
 * listed nothing and exited 0. Each is refused as any other name the config does not have.
 */

const made = usageConfig('test-config-inherited', 'licbridge-config-inherited-');
let dir: string;
let config: string;
beforeAll(() => {
  ({ dir, file: config } = made);
});

async function refused(args: string[], value: string): Promise<string> {
  const r = await licbridge([...args, '--config', config], { cwd: dir, timeoutMs: 30_000 });
  expect(r.stderr).toContain(`\`${value}\``);
  expect(r.stderr).toContain('pipeline');
  expect(r.stderr).not.toContain('undefined');
  expect(r.stderr).not.toContain('unexpected failure');
  expect(r.status).toBe(2);
  return r.stderr;
}

describe('a pipeline name every object inherits', () => {
  it.each(['toString', 'constructor', 'valueOf'])('run %s', async (name) => {
    await refused(['run', name], name);
  });

  it.each(['toString', 'hasOwnProperty'])('lifecycle run --pipeline %s writes nothing', async (name) => {
    await refused(['lifecycle', 'run', '--pipeline', name], name);
    // The ledger is not opened, so no tick run is written into it.
    expect(existsSync(join(dir, 'ledger.db'))).toBe(false);
  });

  it.each(['constructor', 'toString'])('preview %s', async (name) => {
    await refused(['preview', name], name);
  });

  it.each(['toString', 'constructor'])('quarantine list --pipeline %s', async (name) => {
    await refused(['quarantine', 'list', '--pipeline', name], name);
  });
});
