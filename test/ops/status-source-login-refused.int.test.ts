/**
 * `status` words a source that refused the login as `config check --connect` and `discover` do:
 * once, as a login failure, never "not reachable" (the server answered), and the source named once.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { collectStatus } from '../../pipelines/observability/status-report.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describe('status: a source that refuses the login', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 5 });
    const text = await readFile(ws.configFile, 'utf8');
    const maria =
      'market-food: { kind: mysql, trim: all, connection: { host: 127.0.0.1, port: 3306, user: root, password: not-the-password, database: test } }';
    const changed = text.replace('market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }', maria);
    expect(changed).not.toBe(text);
    await writeFile(ws.configFile, changed);
  });
  afterAll(async () => ws?.cleanup());

  it('is a login failure, said once', async () => {
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const report = await collectStatus(
      config,
      { error: 'ledger gone' },
      { error: 'down' },
      { timeoutMs: 5000 },
    );
    const line = report.attention.find((l) => l.includes('source market-food')) ?? '';
    expect(line).toMatch(/^source market-food: login failed as user `root`: /);
    expect(line).not.toContain('not reachable');
    expect(line.match(/source market-food:/g)).toHaveLength(1);
    expect(line).toContain('check the login in the `sources.market-food` connection');
  });
});
