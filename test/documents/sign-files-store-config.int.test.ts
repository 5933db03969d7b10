// `licbridge sign files` finds its file store in the config (`licenseFiles.store`, relative to the
// config file) when no `--store` is given; `--store` wins; with neither it says which to give.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';

const ofdFiles = (root: string): string[] =>
  existsSync(root)
    ? (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd'))
    : [];

describe('sign files: the file store from the config', () => {
  let ws: FileWorkspace;
  let config: string;
  beforeAll(async () => {
    ws = await fileWorkspace(3, 0);
    config = join(ws.dir, 'licbridge.yaml');
  });
  afterAll(async () => {
    await ws?.close();
  });

  it('issues into `licenseFiles.store` of the config, resolved against the config file, from any working directory', async () => {
    const r = await licbridge(
      ['sign', 'files', '--seal', 'district-seal', '--limit', '1', '--json', '-c', config],
      {
        cwd: '/',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ issued: 1 });
    const [file] = await ws.ledger.licenseFiles.list({});
    expect(ofdFiles(join(ws.dir, 'files'))).toEqual([file?.path]);
  });

  it('issues into `--store` when given, not the configured store', async () => {
    const other = join(ws.dir, 'flag-store');
    const r = await licbridge([
      'sign',
      'files',
      '--seal',
      'district-seal',
      '--store',
      other,
      '--limit',
      '1',
      '--json',
      '-c',
      config,
    ]);
    // The ledger's first file is in the configured store, not this one: said, and exit 3.
    expect(r.status, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ issued: 1, notInStore: 1 });
    expect(ofdFiles(other)).toHaveLength(1);
    expect(ofdFiles(join(ws.dir, 'files'))).toHaveLength(1);
  });

  it('without either, refuses naming the flag and the setting', async () => {
    const bare = join(ws.dir, 'no-store.yaml');
    writeFileSync(bare, readFileSync(config, 'utf8').replace('licenseFiles: { store: ./files }\n', ''));
    const r = await licbridge(['sign', 'files', '--seal', 'district-seal', '-c', bare]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sign files: no file store: give `--store <dir>` or set `licenseFiles.store`');
    expect(await ws.ledger.licenseFiles.list({})).toHaveLength(2);
  });
});
