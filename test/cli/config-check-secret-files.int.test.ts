// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * A secret read with `${file:…}` (here a platform's HMAC secret) from a file group or others can
 * read is reported by `config check`: the check still passes, with a warning naming the line,
 * the setting, the file and its mode.
 */
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { type ConfigCheckWorkspace, configCheckWorkspace } from './config-check-workspace.js';

describe('config check and a secret read through ${file:…}', () => {
  let ws: ConfigCheckWorkspace;
  let dir: string;
  let file: string;
  let configText: string;
  beforeAll(async () => {
    ws = await configCheckWorkspace('secretmode', {
      provinceAuth: '{ scheme: hmac, appKey: lb, secret: "${file:./province.secret}" }',
      files: { 'province.secret': 'S3cret-of-the-Province\n' },
    });
    ({ dir, file, config: configText } = ws);
  });
  afterAll(() => ws.cleanup());

  it('says nothing more when only its owner can read it', async () => {
    await chmod(join(dir, 'province.secret'), 0o600);
    const r = await licbridge(['config', 'check', file], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('warns, naming the line, setting, file and mode, when others can read it', async () => {
    await chmod(join(dir, 'province.secret'), 0o644);
    const r = await licbridge(['config', 'check', file], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(': ok');
    const line = configText.split('\n').findIndex((l) => l.includes('${file:./province.secret}')) + 1;
    expect(r.stderr).toContain(`warning: ${file}:${line}:`);
    expect(r.stderr).toContain('targets.province.auth.secret');
    expect(r.stderr).toContain(join(dir, 'province.secret'));
    expect(r.stderr).toMatch(/open to group or others \(mode 0644\)/);
    expect(r.stderr).not.toContain('S3cret-of-the-Province');
  });
});
