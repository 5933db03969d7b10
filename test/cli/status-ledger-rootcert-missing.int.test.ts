/**
 * A PostgreSQL `ledger.url` whose `sslrootcert` names a file that is not there makes every ledger
 * connection fail as pg reads the file. `licbridge status` still prints what it found, the file
 * among its lines (as `config check` names it), exits 3, and shows no password of the URL.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describe('licbridge status: the ledger URL names an sslrootcert that is not there', () => {
  let ws: DemoWorkspace;
  let missing: string;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 2 });
    missing = join(ws.dir, 'no-such-root.pem');
    const url = `postgres://postgres:synthetic-pw-0000@127.0.0.1:5432/test?sslmode=verify-full&sslrootcert=${missing}`;
    const yaml = await readFile(ws.configFile, 'utf8');
    await writeFile(ws.configFile, yaml.replace(/^ledger: .*$/m, `ledger: { url: "${url}" }`));
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('prints its findings, the file named, as text and as JSON', async () => {
    const args = ['status', '--no-sources', '--timeout', '3000', '--config', ws.configFile];
    const text = await licbridge(args);
    expect(text.status).toBe(3);
    expect(text.stdout).toContain('needs attention');
    expect(text.stdout).toContain(`\`sslrootcert\` names ${missing}, which cannot be read: no such file`);
    expect(text.stdout).toMatch(/ledger: not reachable: .*no-such-root\.pem/);
    const json = await licbridge([...args, '--json']);
    expect(json.status).toBe(3);
    const report = JSON.parse(json.stdout) as { attention: string[] };
    expect(report.attention.join('\n')).toContain(`\`sslrootcert\` names ${missing}, which cannot be read`);
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr])
      expect(out).not.toContain('synthetic-pw-0000');
  });
});
