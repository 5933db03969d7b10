/**
 * An entry of the re-read's state written before 39564c27 holds where the last share ended as a
 * source key, which may be an ID number. It is rewritten as a place at the first run that reads
 * it, whether or not a key is read again: before, it stayed until a share committed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { Runtime } from '../../pipelines/runtime.js';
import { BACKENDS } from '../ledger/backends.js';
import { PIPELINE, recheckWorkspace, silent, workspacesPerTest } from './quarantine-recheck-fixture.js';

describe.each(BACKENDS)('an old re-read entry holding a source key ($name)', (backend) => {
  // Registered first: its afterEach runs last, once the runtime on the workspace is closed.
  const workspaces = workspacesPerTest();
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  it('is rewritten without the key by the next run, which reads no key again', async () => {
    const ws = workspaces.keep(await recheckWorkspace(backend));
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    runtime = new Runtime(config, silent);
    const source = (await runtime.pipeline(PIPELINE)).config.source;
    const ledger = await runtime.ledger();
    const entry = async () =>
      (await ledger.stateEntries(source, 'quarantine-recheck')).find((e) => e.key === PIPELINE)?.value ?? '';
    const now = JSON.parse(await entry()) as Record<string, unknown>;
    const at = '2026-01-02T03:04:05.000Z';
    await ledger.putStateEntry(
      source,
      'quarantine-recheck',
      PIPELINE,
      JSON.stringify({ ...now, after: [at, 'JY-OLD-KEY-7'] }),
    );
    const [run] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: silent });
    expect(run).toMatchObject({ read: 0 });
    const after = await entry();
    expect(after).not.toContain('JY-OLD-KEY-7');
    expect(JSON.parse(after)).toMatchObject({ ...now, after: [at, -1] });
  }, 120_000);
});
