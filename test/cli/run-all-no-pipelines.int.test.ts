import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * `licbridge run --all` on a config of no pipelines said `run: name a pipeline or pass --all`, to a
 * command that had passed --all. It now says the config has no pipelines, naming the file (exit 2).
 */

const made = usageConfig('test-run-all-none', 'licbridge-run-all-none-');
beforeAll(async () => {
  const text = await readFile(made.file, 'utf8');
  const start = text.indexOf('pipelines:\n');
  const end = text.indexOf('signers:\n');
  await writeFile(made.file, `${text.slice(0, start)}pipelines: {}\n${text.slice(end)}`);
});

describe('run --all without pipelines', () => {
  it('says the config has none', async () => {
    const r = await licbridge(['run', '--all', '--config', made.file], { cwd: made.dir, timeoutMs: 30_000 });
    expect(r.stderr).toContain('no pipelines');
    expect(r.stderr).toContain(made.file);
    expect(r.stderr).not.toContain('pass --all');
    expect(r.status).toBe(2);
  });
});
