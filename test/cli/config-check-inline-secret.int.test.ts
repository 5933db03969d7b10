// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * A password, token or secret written inline in the config file loaded without a word, though the
 * file is the one most likely committed. `config check` now warns of each — the file, line and
 * column, the setting and the fix (`${env:NAME}` or `${file:/path}`), never the value — and still
 * passes: configs written so keep loading. A value holding a reference anywhere (one with a
 * default too, as the demo's) is not warned of.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import {
  positionIn as at,
  type ConfigCheckWorkspace,
  configCheckWorkspace,
  madeSecret as made,
} from './config-check-workspace.js';

describe('config check and secrets written inline', () => {
  let ws: ConfigCheckWorkspace;
  beforeAll(async () => {
    ws = await configCheckWorkspace('inlinesecret');
  });
  afterAll(() => ws.cleanup());

  async function check(provinceAuth: string, extra = '', env: Record<string, string> = {}) {
    const text = `${ws.config.replace('auth: { scheme: none }', `auth: ${provinceAuth}`)}${extra}`;
    await writeFile(ws.file, text);
    const r = await licbridge(['config', 'check', ws.file], { cwd: ws.dir, env });
    return { text, r };
  }

  it('warns of each, at its file:line:column and setting, never showing it, and passes', async () => {
    const secret = made('hmac');
    const password = made('basic');
    const token = made('bearer-token');
    const { text, r } = await check(
      `{ scheme: hmac, appKey: lb, secret: "${secret}" }`,
      `serve:\n  auth:\n    username: ops\n    password: ${password}\n    token: '${token}'\n`,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(': ok');
    const warnings = r.stderr.split('\n').filter((l) => l.includes('written inline'));
    expect(warnings).toEqual([
      `warning: ${ws.file}:${at(text, `"${secret}"`)}: targets.province.auth.secret: a secret written inline in the config file (not shown), which is likely committed; write it as \`\${env:NAME}\` or \`\${file:/path}\` and keep the value out of the file`,
      `warning: ${ws.file}:${at(text, password)}: serve.auth.password: a secret written inline in the config file (not shown), which is likely committed; write it as \`\${env:NAME}\` or \`\${file:/path}\` and keep the value out of the file`,
      `warning: ${ws.file}:${at(text, `'${token}'`)}: serve.auth.token: a secret written inline in the config file (not shown), which is likely committed; write it as \`\${env:NAME}\` or \`\${file:/path}\` and keep the value out of the file`,
    ]);
    for (const value of [secret, password, token]) {
      expect(r.stderr).not.toContain(value);
      expect(r.stdout).not.toContain(value);
    }
  });

  it('warns of a secret under a kind of its own (a remote signer bearer token)', async () => {
    const token = made('signer-token');
    const signer = `  remote-seal:\n    kind: remote\n    url: "https://127.0.0.1:9"\n    sealId: "3702110000002"\n    auth: { scheme: bearer, token: "${token}" }\n`;
    const text = ws.config.replace('targets:\n', `${signer}targets:\n`);
    await writeFile(ws.file, text);
    const r = await licbridge(['config', 'check', ws.file], { cwd: ws.dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      `warning: ${ws.file}:${at(text, `"${token}"`)}: signers.remote-seal.auth.token: a secret written inline`,
    );
    expect(r.stderr).not.toContain(token);
  });

  it('says nothing of secrets read through references, with a default or beside text', async () => {
    const { r } = await check(
      '{ scheme: hmac, appKey: lb, secret: "${env:PROVINCE_SECRET:-demo-only-secret}" }',
      'serve:\n  auth:\n    username: ops\n    password: "${env:SERVE_PASSWORD}"\n    token: "tk-${file:./seal.key.pem}"\n',
      { SERVE_PASSWORD: made('pw') },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('says nothing of a setting named like a secret that is none (a stream key column)', async () => {
    const { text, r } = await check('{ scheme: none }');
    expect(text).toContain('key: ID');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
