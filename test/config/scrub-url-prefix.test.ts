// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` references are config syntax, not template slips.
/**
 * A URL an operator gives through `${env:…}` (a platform's address, a Redis or webhook URL) is no
 * secret as a whole: it was masked whole in every message and log line (`POST [from
 * ${env:PROVINCE_URL}]/licenses failed`), so nobody could tell which host failed. Only its secret
 * parts are scrubbed now: its query (and a value of it named alone, an `access_token`), its
 * fragment, and path segments that are not plain words (a webhook's token). A URL carrying user info (a password, or a token as
 * its user), a value under a secret's key, and any value that is not a URL stay masked whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { ConfigError } from '../../core/errors.js';
import { scrubSecrets } from '../../core/scrub.js';

// A tag of its own per value: a long run one value shares with another is scrubbed as that one's.
const tag = () => randomBytes(4).toString('hex');
const token = `Tk9x${tag()}Q2mZ`;
const env = {
  LB_PLAIN_URL: `redis://cache-${tag()}.dept.example:6380/2`,
  LB_QUERY_URL: `https://gw-${tag()}.dept.example/open-api/v2?access_token=${token}&lang=zh#Frag${tag()}x`,
  LB_PATH_URL: `https://hooks-${tag()}.example/services/T0AB${tag()}/xY9zQ8wV7uT6sR5q${tag()}`,
  LB_PW_URL: `postgres://lb:Pw9-${tag()}@db-${tag()}.example/ledger`,
  LB_USER_URL: `https://ghp${tag()}Zq8@git-${tag()}.example/repo`,
  LB_KEYED_URL: `https://vault-${tag()}.example/v1/store`,
  LB_HOST: `db-host-${tag()}`,
};

async function load(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'licbridge-scrub-url-'));
  try {
    writeFileSync(
      join(dir, 'licbridge.yaml'),
      [
        'queue: { redis: "${env:LB_PLAIN_URL}" }',
        'ledger: { url: "${env:LB_PW_URL}" }',
        'targets:',
        '  province: { kind: rest-json, url: "${env:LB_QUERY_URL}", auth: { scheme: hmac, secret: "${env:LB_KEYED_URL}" } }',
        '  hook: { kind: rest-json, url: "${env:LB_PATH_URL}/send" }',
        '  git: { kind: rest-json, url: "${env:LB_USER_URL}" }',
        'sources:',
        '  s: { kind: mssql, connection: { host: "${env:LB_HOST}" } }',
        'nope: 1',
        '',
      ].join('\n'),
    );
    await expect(loadConfig({ file: join(dir, 'licbridge.yaml'), env })).rejects.toBeInstanceOf(ConfigError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a URL given through a reference, in messages and log lines', () => {
  it('keeps a URL without secret parts as it is', async () => {
    await load();
    const line = `Redis at ${env.LB_PLAIN_URL} is not reachable`;
    expect(scrubSecrets(line)).toBe(line);
  });

  it('scrubs its query and fragment, and a query value alone, and keeps its scheme, host and path', async () => {
    await load();
    const address = env.LB_QUERY_URL.slice(0, env.LB_QUERY_URL.indexOf('?'));
    expect(address).toMatch(/^https:\/\/gw-[0-9a-f]{8}\.dept\.example\/open-api\/v2$/);
    expect(scrubSecrets(`POST ${env.LB_QUERY_URL} failed`)).toBe(
      `POST ${address}?[from \${env:LB_QUERY_URL}]#[from \${env:LB_QUERY_URL}] failed`,
    );
    expect(scrubSecrets(`token ${token} refused`)).toBe('token [from ${env:LB_QUERY_URL}] refused');
    expect(scrubSecrets(`token ${token.toLowerCase()} refused`)).toBe(
      'token [from ${env:LB_QUERY_URL}] refused',
    );
  });

  it('scrubs path segments that are not plain words', async () => {
    await load();
    const host = env.LB_PATH_URL.slice(0, env.LB_PATH_URL.indexOf('/services/'));
    expect(scrubSecrets(`POST ${env.LB_PATH_URL}/send: 404`)).toBe(
      `POST ${host}/services/[from \${env:LB_PATH_URL}]/[from \${env:LB_PATH_URL}]/send: 404`,
    );
  });

  it('masks whole a URL with user info, a value under a secret key, and a value that is no URL', async () => {
    await load();
    expect(scrubSecrets(`connect ${env.LB_PW_URL}`)).toBe('connect [from ${env:LB_PW_URL}]');
    expect(scrubSecrets(`GET ${env.LB_USER_URL}`)).toBe('GET [from ${env:LB_USER_URL}]');
    expect(scrubSecrets(`at ${env.LB_KEYED_URL}`)).toBe('at [from ${env:LB_KEYED_URL}]');
    expect(scrubSecrets(`getaddrinfo ENOTFOUND ${env.LB_HOST}`)).toBe(
      'getaddrinfo ENOTFOUND [from ${env:LB_HOST}]',
    );
  });
});
