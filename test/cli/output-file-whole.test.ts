/**
 * `config docs -o FILE` and `seal csr --out FILE` wrote into the file in place: a command stopped
 * midway left a part of it under its name, and a file it could not write (a folder given) read
 * `licbridge: unexpected failure: EISDIR: …`, exit 1, the command not named. The file is now
 * written beside and renamed over (no temporary file is left, an earlier file is replaced whole),
 * and one that cannot be written is a usage error naming the command and the file.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { sealMakingFolder } from '../support/seal-making.js';
import { usageConfig } from '../support/usage-config.js';

/** A config whose signer `seal` seals for pipeline `food`: `seal csr seal` has a subject. */
const withPipeline = usageConfig('test-output-file-whole', 'licbridge-output-file-');
let dir: string;
let cleanup: () => void;
let configFile: string;
beforeAll(() => {
  ({ dir, cleanup } = makeTempDir());
  configFile = join(dir, 'licbridge.yaml');
  writeFileSync(configFile, sealMakingFolder(dir, 60));
});
afterAll(() => cleanup());

describe('config docs -o', () => {
  it('replaces an earlier file whole and leaves nothing beside it', async () => {
    const out = join(dir, 'docs-out');
    mkdirSync(out);
    const file = join(out, 'configuration.md');
    writeFileSync(file, 'an earlier reference\n');
    const r = await licbridge(['config', 'docs', '-o', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('# ');
    expect(readdirSync(out)).toEqual(['configuration.md']);
  });

  it('a folder given: names the command and the file, exit 2', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const r = await licbridge(['config', 'docs', '-o', folder]);
    expect(r.stderr).toContain(`config docs: cannot write ${folder}: it is a folder, not a file`);
    expect(r.stderr).not.toContain('unexpected failure');
    expect(r.status).toBe(2);
  });
});

describe('seal csr --out', () => {
  it('a folder given: names the command and the file, exit 2', async () => {
    const folder = join(dir, 'csr-folder');
    mkdirSync(folder);
    const r = await licbridge(['seal', 'csr', 'seal', '--out', folder, '-c', withPipeline.file]);
    expect(r.stderr).toContain(`seal csr: cannot write ${folder}: it is a folder, not a file`);
    expect(r.stderr).not.toContain('unexpected failure');
    expect(r.status).toBe(2);
  });

  it('writes the request whole and leaves nothing beside it', async () => {
    const out = join(dir, 'csr-out');
    mkdirSync(out);
    const file = join(out, 'unit.csr');
    const r = await licbridge(['seal', 'csr', 'seal', '--out', file, '-c', withPipeline.file]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(
      /^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+-----END CERTIFICATE REQUEST-----\n$/,
    );
    expect(readdirSync(out)).toEqual(['unit.csr']);
  });
});
