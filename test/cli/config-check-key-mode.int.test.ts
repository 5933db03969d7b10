// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * A seal key given as `key: "${file:…}"` that group or others can read is refused by the signer at
 * run time, as a `keyFile` is: `config check` reports it too, instead of saying ok.
 */
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { type ConfigCheckWorkspace, configCheckWorkspace } from './config-check-workspace.js';

describe('config check and a seal key read through ${file:…}', () => {
  let ws: ConfigCheckWorkspace;
  let dir: string;
  let file: string;
  let configText: string;
  beforeAll(async () => {
    ws = await configCheckWorkspace('keymode');
    ({ dir, file, config: configText } = ws);
  });
  afterAll(() => ws.cleanup());

  it('is ok when only its owner can read it', async () => {
    await chmod(join(dir, 'seal.key.pem'), 0o600);
    const r = await licbridge(['config', 'check', file], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('names the key and its mode when others can read it', async () => {
    await chmod(join(dir, 'seal.key.pem'), 0o644);
    const r = await licbridge(['config', 'check', file], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain(': ok');
    const line = configText.split('\n').findIndex((l) => l.includes('key: "${file:')) + 1;
    expect(r.stderr).toContain(`${file}:${line}:`);
    expect(r.stderr).toContain('signers.district-seal.key');
    expect(r.stderr).toContain(join(dir, 'seal.key.pem'));
    expect(r.stderr).toMatch(/open to group or others \(mode 0644\)/);
    expect(r.stderr).not.toContain('BEGIN');
  });
});
