/**
 * Preview as a use case, without the CLI: a window of rows after an offset is the same rows as
 * that part of a longer window, each row ends as a license or with its reasons, and nothing is
 * written (no ledger).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { previewPipeline } from '../../pipelines/preview.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';

describe('previewPipeline', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 40 });
  });
  afterAll(async () => ws?.cleanup());

  it('reads the window it is given and maps each row, writing nothing', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const all = await previewPipeline(config, PIPELINE, { limit: 20, offset: 0 });
    const part = await previewPipeline(config, PIPELINE, { limit: 7, offset: 9 });
    expect(all.counts.read).toBe(20);
    expect(part.rows.map((r) => r.key)).toEqual(all.rows.slice(9, 16).map((r) => r.key));
    expect(part.rows).toEqual(all.rows.slice(9, 16));
    for (const row of all.rows) expect(Boolean(row.license) !== Boolean(row.failures)).toBe(true);
    expect(all.counts.ok + all.counts.quarantined).toBe(all.counts.read);
    expect(existsSync(join(ws.dir, 'data', 'ledger.db'))).toBe(false);
  });

  it('refuses an unknown pipeline, naming the ones there are', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await expect(previewPipeline(config, 'nope', { limit: 1, offset: 0 })).rejects.toThrow(
      /unknown pipeline `nope` \(defined: food-business-licenses/,
    );
    // The name as given on the command line, shown inert as other commands show it.
    await expect(previewPipeline(config, 'no\u001b]0;x\u0007pe', { limit: 1, offset: 0 })).rejects.toThrow(
      /unknown pipeline `nope` \(defined: food-business-licenses/,
    );
  });
});
