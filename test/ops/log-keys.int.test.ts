import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { duplicateJsonKeys } from '../support/json-duplicate-keys.js';
import { licbridge } from './ops-fixtures.js';

/** A demo run through the command line at debug level: every raw log line names each key once. */
describe('log lines of a real run', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40, seed: 2 });
  });
  afterAll(async () => ws?.cleanup());

  it('carry pipeline and runId once each', async () => {
    const r = await licbridge(['run', '--all', '--config', ws.configFile], { LICBRIDGE_LOG_LEVEL: 'debug' });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('{'));
    // The page lines of the extract stage are logged with the job's pipeline and run bound.
    const pages = lines.filter((l) => l.includes('extract: page committed'));
    expect(pages.length).toBeGreaterThan(0);
    for (const l of pages) expect(JSON.parse(l)).toMatchObject({ pipeline: 'food-business-licenses' });
    const dupes = lines.map((l) => duplicateJsonKeys(l)).filter((d) => d.length > 0);
    expect(dupes).toEqual([]);
  });
});
