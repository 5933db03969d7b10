// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is the config's reference syntax.
/**
 * A CA file a connection reads as it opens: `config check` said `ok` of a config naming one that
 * is not there, while the connection then failed. node-postgres reads `sslrootcert` (and `sslcert`,
 * `sslkey`) of `ledger.url` when it connects and fails on a missing file; a `tls.ca` written as a
 * file name instead of `${file:…}` is taken as PEM text holding no certificate, so the connection
 * trusts no CA and every server is refused as untrusted. Each is now a problem (exit 2) at the
 * setting's line, naming the setting and the file, and why it cannot be read; never the URL (it
 * may hold a password) and never a file's content.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { createTestCa, type TestCa } from '../support/test-ca.js';

describe('config check: a CA file a connection reads', { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let ca: TestCa;

  function config(name: string, ledgerUrl: string, ca = '${file:./ca.pem}'): string {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        `ledger: { url: "${ledgerUrl}" }`,
        'catalog: ./catalog',
        'targets:',
        `  province: { kind: rest-json, url: "https://p.example", tls: { ca: "${ca}" } }`,
        '',
      ].join('\n'),
    );
    return file;
  }
  const check = (file: string) =>
    licbridge(['config', 'check', '--config', file], { env: { LB_TEST_PG_PASSWORD: 'synthetic-pw-0000' } });
  const pg = (query: string) => `postgres://lb:\${env:LB_TEST_PG_PASSWORD}@127.0.0.1:5432/test?${query}`;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(join(dir, 'catalog'));
    mkdirSync(join(dir, 'certs'));
    ca = await createTestCa('gov-root', 365, dir);
    writeFileSync(join(dir, 'ca.pem'), ca.ca);
  });
  afterAll(() => cleanup?.());

  it('`sslrootcert` in `ledger.url` naming no file: a problem at `ledger.url`, the URL not shown', async () => {
    const missing = join(dir, 'no-such-ca.pem');
    const file = config('root-missing', pg(`sslmode=verify-full&sslrootcert=${missing}`));
    const r = await check(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${file}:1:16: ledger.url: \`sslrootcert\` names ${missing}, which cannot be read: no such file; connecting to the ledger reads it and fails: put the CA file there, or correct the path`,
    );
    expect(r.stderr).not.toContain('synthetic-pw-0000');
  });

  it('`sslrootcert` naming a folder, and `sslcert` and `sslkey` naming no file: each named', async () => {
    const folder = join(dir, 'certs');
    const file = config(
      'root-folder',
      pg(`sslrootcert=${folder}&sslcert=${join(dir, 'client.pem')}&sslkey=${join(dir, 'client.key')}`),
    );
    const r = await check(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `ledger.url: \`sslrootcert\` names ${folder}, which cannot be read: a folder, not a file`,
    );
    expect(r.stderr).toContain(
      `ledger.url: \`sslcert\` names ${join(dir, 'client.pem')}, which cannot be read: no such file`,
    );
    expect(r.stderr).toContain(
      `ledger.url: \`sslkey\` names ${join(dir, 'client.key')}, which cannot be read: no such file`,
    );
    expect(r.stderr).not.toContain('synthetic-pw-0000');
  });

  it('`tls.ca` written as a file name that is not there: named with the file', async () => {
    const file = config('ca-name-missing', 'sqlite://./ledger.db', './gov-ca.pem');
    const r = await check(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${file}:4:69: targets.province.tls.ca: \`./gov-ca.pem\` is a file name, not PEM text: connecting to target province trusts no CA then and refuses every server; ${join(dir, 'gov-ca.pem')} cannot be read: no such file: put the CA certificates there, and write \`\${file:./gov-ca.pem}\``,
    );
  });

  it('`tls.ca` written as the name of a file that is there: asks for `${file:…}`', async () => {
    const file = config('ca-name', 'sqlite://./ledger.db', './ca.pem');
    const r = await check(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'targets.province.tls.ca: `./ca.pem` is a file name, not PEM text: connecting to target province trusts no CA then and refuses every server; write `${file:./ca.pem}` to read the file',
    );
  });

  it('`tls.ca` read from a file holding no certificate: the reference and the file named, not the text', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'synthetic notes, no certificate\n');
    const file = config('ca-no-certificate', 'sqlite://./ledger.db', '${file:./notes.txt}');
    const r = await check(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `targets.province.tls.ca: \`\${file:./notes.txt}\` (file ${join(dir, 'notes.txt')}) resolves to text with no PEM certificate (no \`-----BEGIN CERTIFICATE-----\` line): connecting to target province trusts no CA then and refuses every server`,
    );
    expect(r.stderr).not.toContain('synthetic notes');
  });

  it('files that are there, and a CA read with `${file:…}`: ok', async () => {
    const file = config('fine', pg(`sslmode=verify-full&sslrootcert=${join(dir, 'ca.pem')}`));
    const r = await check(file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
