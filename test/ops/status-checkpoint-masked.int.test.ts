/**
 * A pipeline's checkpoint holds the key of the last row read, and a source may be keyed by a
 * holder's ID or mobile number. `licbridge status` shows the checkpoint with such a key masked as
 * the check reports mask keys, in its text and its JSON alike; so is a key of no telling shape (a
 * passport number, an ID number with a slip in its birth date), which was shown in full.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { licbridge, quietLogger } from './ops-fixtures.js';

const PIPELINE = 'food-business-licenses';
const ID = '11010519491231002X';
const MOBILE = '13800138000';

describe('status: a checkpoint keyed by a personal number', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger: quietLogger() });
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it.each([
    [ID, '1101**********002X'],
    [MOBILE, '*******8000'],
    // No resident ID or mobile number shape, personal all the same: every key is shown masked.
    ['E12345678', 'E*******8'],
    ['110105199913310021', '1101**********0021'],
  ])('shows key %s masked', async (key, masked) => {
    const db = new Database(join(ws.dir, 'data', 'ledger.db'));
    try {
      db.prepare('update checkpoints set state = ? where pipeline = ?').run(
        JSON.stringify({ v: 1, cursor: '2025-12-31 15:22:41.929181', key }),
        PIPELINE,
      );
    } finally {
      db.close();
    }
    const text = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(text.stdout).toContain(`checkpoint: 2025-12-31 15:22:41.929181 / key ${masked}`);
    const json = await licbridge(['status', '--no-sources', '--json', '--config', ws.configFile]);
    expect(JSON.parse(json.stdout).pipelines[0].checkpoint).toContain(masked);
    for (const out of [text.stdout, json.stdout]) expect(out).not.toContain(key);
  });
});
