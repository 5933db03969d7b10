import { readFile, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usageConfig } from '../support/usage-config.js';

/**
 * `--queues` narrows `--stages` (docs/operations-workers.md): a queue named of a stage the worker
 * does not work was dropped without a word. `worker --stages extract --queues sign` started, said
 * `worker: started`, and worked nothing, a host meant to sign signing none. A queue named outside
 * the stages is a usage error (exit 2) naming the queue and its stage, before Redis is asked (here
 * at a port nothing answers, where the old command failed reaching it).
 */

const made = usageConfig('test-worker-queues-stages', 'licbridge-worker-queues-');
beforeAll(async () => {
  const text = await readFile(made.file, 'utf8');
  await writeFile(made.file, text.replace('redis://127.0.0.1:6379', 'redis://127.0.0.1:1'));
});

async function refused(args: string[], queue: string, stage: string): Promise<void> {
  const r = await licbridge(['worker', ...args, '--config', made.file], { cwd: made.dir, timeoutMs: 30_000 });
  expect(r.stderr).toContain(`\`${queue}\``);
  expect(r.stderr).toContain(`stage ${stage}`);
  expect(r.stderr).toContain('[LB_USAGE]');
  expect(r.status).toBe(2);
}

describe('worker --queues naming a queue of a stage not worked', () => {
  it('sign with --stages extract', async () => {
    await refused(['--stages', 'extract', '--queues', 'sign'], 'sign', 'sign');
  });

  it('deliver-province with --stages extract,sign', async () => {
    await refused(
      ['--stages', 'extract,sign', '--queues', 'sign,deliver-province'],
      'deliver-province',
      'deliver',
    );
  });

  it('lifecycle with --stages extract,sign,deliver,reconcile', async () => {
    await refused(
      ['--stages', 'extract,sign,deliver,reconcile', '--queues', 'deliver,lifecycle'],
      'lifecycle',
      'lifecycle',
    );
  });
});
