// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * `seal keygen` ends with the line to put in the config: `key: "${file:…}"`. It gave the `--out`
 * path as typed, relative to the folder the command ran in, while a `${file:…}` path is read
 * relative to the config file's folder: run from anywhere else, the line copied in named a file
 * that is not there (`cannot read ${file:…}`). The line names the key by its absolute path.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('seal keygen with a relative --out', () => {
  it('names the key in the config line by its absolute path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'licbridge-keygen-hint-'));
    dirs.push(dir);
    const cwd = join(dir, 'ops');
    await mkdir(join(cwd, 'keys'), { recursive: true });
    const r = await licbridge(
      ['seal', 'keygen', '--out', 'keys/own-seal.key.pem', '--passphrase-env', 'LB_TEST_SEAL_PASSPHRASE'],
      { cwd, env: { LB_TEST_SEAL_PASSPHRASE: 'a passphrase of words' } },
    );
    expect(r.status, r.stderr).toBe(0);
    const written = join(cwd, 'keys', 'own-seal.key.pem');
    expect((await stat(written)).isFile()).toBe(true);
    expect(r.stdout).toContain(`key: "\${file:${written}}"`);
  });
});
