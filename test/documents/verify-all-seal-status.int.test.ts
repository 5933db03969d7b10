// `verify --all` judges the license files of a seal the config marks revoked by its status, as
// `verify --file` does: undated, every file fails saying so; dated after the files were signed,
// they pass, each with a note in text and JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FileWorkspace, fileWorkspace } from '../platforms/license-file-workspace.js';
import { licbridge } from '../support/cli.js';

const COUNT = 2;

describe('verify --all: license files of a revoked seal', () => {
  let ws: FileWorkspace;
  let config: string;
  beforeAll(async () => {
    ws = await fileWorkspace(COUNT, COUNT, { signed: 'none' });
    config = join(ws.dir, 'licbridge.yaml');
    const signed = await licbridge(['sign', 'backfill', '--json', '-c', config]);
    expect(signed.status, signed.stderr).toBe(0);
  });
  afterAll(async () => {
    await ws?.close();
  });

  function revoked(name: string, since?: Date): string {
    const path = join(ws.dir, `${name}.yaml`);
    const text = readFileSync(config, 'utf8').replace(
      'signer: district }',
      `signer: district, status: revoked${since ? `, since: "${since.toISOString()}"` : ''} }`,
    );
    expect(text).toContain('status: revoked');
    writeFileSync(path, text);
    return path;
  }

  it('fails every file when the revocation date is unknown', async () => {
    const r = await licbridge(['verify', '--all', '--json', '-c', revoked('undated')]);
    expect(r.status).toBe(1);
    const files = JSON.parse(r.stdout).files;
    expect(files).toMatchObject({ checked: COUNT, failed: COUNT });
    expect(files.failures[0].reasons.join(' ')).toContain(
      '(district-seal) is revoked in the config, with no date (`since`)',
    );
  });

  it('passes files signed before the revocation, with a note each', async () => {
    const cfg = revoked('dated', new Date(Date.now() + 86_400_000));
    const r = await licbridge(['verify', '--all', '--json', '-c', cfg]);
    expect(r.status).toBe(0);
    const files = JSON.parse(r.stdout).files;
    expect(files.notes).toHaveLength(COUNT);
    expect(files.notes[0].notes[0]).toMatch(
      /Signature\.xml: seal \S+ \(district-seal\) is revoked in the config since .*, before it/,
    );
    const text = await licbridge(['verify', '--all', '-c', cfg]);
    expect(text.stdout).toMatch(/^note \S+ v1 file \S+: .*is revoked in the config since/m);
  });
});
