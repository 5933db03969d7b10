/**
 * With no config file given and none at ./licbridge.yaml, the error told the user to pass one
 * with `--file`, an option no licbridge command has (`error: unknown option '--file'`): the
 * option is `-c, --config <file>`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../cli/program.js';
import { loadConfig } from '../../config/loader.js';
import { ConfigError } from '../../core/errors.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('no config file found where none was named', () => {
  it('names the option the commands take', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'licbridge-no-config-'));
    dirs.push(cwd);
    const error = await loadConfig({ cwd, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).problems[0]?.message ?? '';
    expect(message).toBe('config file not found; pass one with --config or set LICBRIDGE_CONFIG');
    const options = (await buildProgram(['node', 'licbridge', 'status'])).options.map((o) => o.long);
    expect(options).toContain('--config');
  });
});
