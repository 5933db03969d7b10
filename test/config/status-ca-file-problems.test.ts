// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is the config's reference syntax.
/**
 * `config check` finds a CA file a connection cannot use as it opens (config/ca-file-problems.ts):
 * an `sslrootcert` of `ledger.url` that is not there, a `tls.ca` written as a bare file name, a
 * `tls.ca` holding no certificate. Each makes every connection of its kind fail, yet `licbridge
 * status`, which lists an empty `tls.ca` beside the certificates to renew, said nothing of them. It
 * now lists each, in the words `config check` uses, and still never the URL's password.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caFileProblems } from '../../config/ca-file-problems.js';
import type { Config } from '../../config/types.js';
import { formatProblem } from '../../core/errors.js';
import { tlsAttention } from '../../pipelines/observability/tls-attention.js';

describe('status: the CA-file problems config check finds', () => {
  let dir: string;
  let config: Config;
  const ledgerUrl = (missing: string) =>
    `postgres://lb:synthetic-pw-0000@127.0.0.1:5432/test?sslmode=verify-full&sslrootcert=${missing}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-status-ca-file-'));
    const missing = join(dir, 'no-such-root.pem');
    await writeFile(join(dir, 'not-a-cert.txt'), 'synthetic text, no certificate\n');
    const file = join(dir, 'licbridge.yaml');
    await writeFile(
      file,
      [
        `ledger: { url: "${ledgerUrl(missing)}" }`,
        'targets:',
        '  province: { kind: rest-json, url: "https://127.0.0.1:9", tls: { ca: "./gov-root.pem" } }',
        '  city: { kind: rest-json, url: "https://127.0.0.1:9", tls: { ca: "${file:./not-a-cert.txt}" } }',
        '',
      ].join('\n'),
    );
    config = {
      file,
      sources: {},
      signers: {},
      targets: {
        province: { kind: 'rest-json', url: 'https://127.0.0.1:9', tls: { ca: './gov-root.pem' } },
        city: {
          kind: 'rest-json',
          url: 'https://127.0.0.1:9',
          tls: { ca: 'synthetic text, no certificate\n' },
        },
      },
      queue: { redis: 'redis://127.0.0.1:6379' },
      ledger: { url: ledgerUrl(missing) },
    } as unknown as Config;
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('each listed as config check words it, the password never', async () => {
    const expected = caFileProblems(config, {}).map(formatProblem);
    expect(expected).toHaveLength(3);
    const messages = (await tlsAttention(config, new Date(), 'UTC', { probeServers: false })).map(
      (a) => a.message,
    );
    expect(messages).toEqual(expect.arrayContaining(expected));
    const joined = messages.join('\n');
    expect(joined).toMatch(/targets\.province\.tls\.ca.*`\.\/gov-root\.pem` is a file name, not PEM text/);
    expect(joined).toMatch(/targets\.city\.tls\.ca.*`\$\{file:\.\/not-a-cert\.txt\}`.*no PEM certificate/);
    expect(joined).toMatch(/ledger\.url.*`sslrootcert` names .*no-such-root\.pem, which cannot be read/);
    expect(joined).not.toContain('synthetic-pw-0000');
  });
});
