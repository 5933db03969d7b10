// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A password written into a URL in the config file (`ledger.url: postgres://lb:PW@db/…`, a Redis
 * URL) is a secret written inline as much as a `password:` is, and passed `config check` without
 * a word. It is now warned of at its file:line:column and setting, never shown, with the fix;
 * a URL whose password is a reference is not.
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

describe('config check and a password written into a URL', () => {
  let ws: ConfigCheckWorkspace;
  beforeAll(async () => {
    ws = await configCheckWorkspace('inlineurl');
  });
  afterAll(() => ws.cleanup());

  async function check(ledgerUrl: string, redisUrl: string) {
    const text = ws.config
      .replace('url: "sqlite://./ledger.db"', `url: "${ledgerUrl}"`)
      .replace('redis: "redis://127.0.0.1:6379"', `redis: "${redisUrl}"`);
    await writeFile(ws.file, text);
    const r = await licbridge(['config', 'check', ws.file], { cwd: ws.dir });
    return { text, r };
  }

  it('warns of each, at its line and setting, never showing the password, and passes', async () => {
    const ledgerPw = made('ledger');
    const redisPw = made('redis');
    const { text, r } = await check(
      `postgres://lb:${ledgerPw}@127.0.0.1:9/licbridge`,
      `redis://:${redisPw}@127.0.0.1:6379`,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(': ok');
    const warnings = r.stderr.split('\n').filter((l) => l.includes('written inline'));
    expect(warnings).toEqual([
      `warning: ${ws.file}:${at(text, '"postgres://')}: ledger.url: a URL holding a password written inline in the config file (not shown), which is likely committed; write the password as \`\${env:NAME}\` or \`\${file:/path}\`, or the whole URL, and keep the value out of the file`,
      `warning: ${ws.file}:${at(text, '"redis://')}: queue.redis: a URL holding a password written inline in the config file (not shown), which is likely committed; write the password as \`\${env:NAME}\` or \`\${file:/path}\`, or the whole URL, and keep the value out of the file`,
    ]);
    expect(r.stderr).not.toContain(ledgerPw);
    expect(r.stderr).not.toContain(redisPw);
  });

  it('says nothing of a URL whose password, or the whole of it, is a reference', async () => {
    const { r } = await check(
      'postgres://lb:${env:LEDGER_PW:-demo}@127.0.0.1:9/licbridge',
      '${env:REDIS_URL:-redis://127.0.0.1:6379}',
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
