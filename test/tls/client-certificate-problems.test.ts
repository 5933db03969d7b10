// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` and `${env:…}` are config reference syntax, not template slips.
/**
 * A district's client certificate for a mutual-TLS platform or signing server, checked as the
 * config loads. A `cert` without its `key` presented no certificate, and the platform's refusal
 * read "set `tls.cert` and `tls.key`" of a config that set one; a key of another certificate, or
 * a wrong passphrase, failed every request of the run. The loader refuses each at the setting,
 * naming the target or signer and never a value; the right pair, the encrypted key with its
 * passphrase from `${env:…}`, loads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

const PASS = `pw-${process.pid}`;
const run = promisify(execFile);

describe('client certificate settings', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let mine: IssuedCertificate;
  let other: IssuedCertificate;
  let files: Record<string, string>;

  beforeAll(async () => {
    gov = await createTestCa('gov-client');
    mine = await gov.issue('district', { cn: 'district-a', client: true, passphrase: PASS });
    other = await gov.issue('neighbour', { cn: 'district-b', client: true });
    files = {
      'data/keys/seal.key.pem': KEY_PEM,
      'tls/ca.pem': gov.ca,
      'tls/district.pem': mine.cert,
      'tls/district.key': mine.key,
      'tls/neighbour.key': other.key,
      'tls/neighbour.pem': other.cert,
      // Unencrypted, with words before its PEM block that an encrypted key's header holds.
      'tls/neighbour-noted.key': `Proc-Type: 4,ENCRYPTED was this key's form once\n${other.key}`,
    };
  });
  afterAll(() => gov.remove());

  const target = (tls: string) =>
    `${VALID_CONFIG}  province-mtls:\n    kind: rest-json\n    url: "https://province.example.gov.cn/api"\n    tls: { ca: "\${file:./tls/ca.pem}", ${tls} }\n`;
  const signer = (tls: string) =>
    `${VALID_CONFIG.replace(
      'signers:\n',
      `signers:\n  seal-server:\n    kind: remote\n    url: "https://sign.example.gov.cn"\n    sealId: "3702110000001"\n    auth: { scheme: bearer, token: t }\n    tls: { ca: "\${file:./tls/ca.pem}", ${tls} }\n`,
    )}`;
  const env = { DISTRICT_KEY_PASS: PASS, WRONG_PASS: 'not-it' };

  it('the certificate and its encrypted key, the passphrase from ${env:…}: loads', async () => {
    const text = target(
      'cert: "${file:./tls/district.pem}", key: "${file:./tls/district.key}", passphrase: "${env:DISTRICT_KEY_PASS}"',
    );
    await expect(loadConfig({ file: await writeConfig(text, files), env })).resolves.toBeDefined();
  });

  it('a key OpenSSL takes loads, whatever words stand beside its PEM block', async () => {
    const text = target('cert: "${file:./tls/neighbour.pem}", key: "${file:./tls/neighbour-noted.key}"');
    await expect(loadConfig({ file: await writeConfig(text, files), env })).resolves.toBeDefined();
  });

  it('`cert` without `key`: refused at `tls.cert`', async () => {
    const text = target('cert: "${file:./tls/district.pem}"');
    const { problems } = await problemsOf(text, env, files);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'targets.province-mtls.tls.cert',
      line: positionOf(text, 'cert: "${file').line,
    });
    expect(problems[0]?.message).toContain(
      'target province-mtls: expected `tls.key` with `tls.cert`, got `tls.cert` alone: a client certificate is presented only with both',
    );
  });

  it('a key of another certificate: refused at `tls.key`, naming no value', async () => {
    const text = target('cert: "${file:./tls/district.pem}", key: "${file:./tls/neighbour.key}"');
    const { problems } = await problemsOf(text, env, files);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'targets.province-mtls.tls.key',
        'target province-mtls: `tls.key` is not the key of the certificate in `cert`: the client certificate cannot be presented, and every request would fail before it is sent',
      ],
    ]);
    expect(JSON.stringify(problems)).not.toContain('PRIVATE KEY');
  });

  it('a wrong passphrase, or none for an encrypted key: refused at the setting to fix', async () => {
    const wrong = await problemsOf(
      target(
        'cert: "${file:./tls/district.pem}", key: "${file:./tls/district.key}", passphrase: "${env:WRONG_PASS}"',
      ),
      env,
      files,
    );
    expect(wrong.problems.map((p) => p.path)).toEqual(['targets.province-mtls.tls.passphrase']);
    expect(wrong.problems[0]?.message).toContain('`tls.passphrase` does not open the encrypted `key`');
    expect(JSON.stringify(wrong.problems)).not.toContain('not-it');
    const none = await problemsOf(
      target('cert: "${file:./tls/district.pem}", key: "${file:./tls/district.key}"'),
      env,
      files,
    );
    expect(none.problems.map((p) => p.path)).toEqual(['targets.province-mtls.tls.key']);
    expect(none.problems[0]?.message).toContain('`tls.key` is encrypted and no `passphrase` is set');
  });

  it('an SM2 (TLCP) client certificate: refused at `tls.cert`, saying TLCP needs a gateway', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-sm2-tls-'));
    try {
      await run('openssl', ['genpkey', '-algorithm', 'SM2', '-out', join(dir, 'sm2.key')]);
      await run('openssl', [
        'req',
        '-new',
        '-x509',
        '-key',
        join(dir, 'sm2.key'),
        '-sm3',
        '-subj',
        '/CN=district-sm2',
        '-days',
        '30',
        '-out',
        join(dir, 'sm2.pem'),
      ]);
      const sm2 = {
        ...files,
        'tls/sm2.pem': await readFile(join(dir, 'sm2.pem'), 'utf8'),
        'tls/sm2.key': await readFile(join(dir, 'sm2.key'), 'utf8'),
      };
      const { problems } = await problemsOf(
        target('cert: "${file:./tls/sm2.pem}", key: "${file:./tls/sm2.key}"'),
        env,
        sm2,
      );
      expect(problems.map((p) => p.path)).toEqual(['targets.province-mtls.tls.cert']);
      expect(problems[0]?.message).toContain(
        'an SM2 certificate is for TLCP, which licbridge does not speak',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keys of every PEM kind load with their certificate; an EC P-256 certificate is not taken for SM2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-key-kinds-'));
    const at = (f: string) => join(dir, f);
    try {
      await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', at('ec.key')]);
      await run('openssl', [
        'req',
        '-x509',
        '-key',
        at('ec.key'),
        '-subj',
        '/CN=district-ec',
        '-days',
        '3',
        '-out',
        at('ec.pem'),
      ]);
      await run('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', at('ec.key'), '-out', at('ec.p8')]);
      await run('openssl', [
        'ec',
        '-in',
        at('ec.key'),
        '-aes256',
        '-passout',
        `pass:${PASS}`,
        '-out',
        at('ec.enc'),
      ]);
      await run('openssl', ['genrsa', '-traditional', '-out', at('rsa.key'), '2048']);
      await run('openssl', [
        'req',
        '-x509',
        '-key',
        at('rsa.key'),
        '-subj',
        '/CN=district-rsa',
        '-days',
        '3',
        '-out',
        at('rsa.pem'),
      ]);
      const kinds = { ...files };
      for (const f of ['ec.pem', 'ec.key', 'ec.p8', 'ec.enc', 'rsa.key', 'rsa.pem']) {
        kinds[`tls/${f}`] = await readFile(at(f), 'utf8');
      }
      expect(kinds['tls/rsa.key']).toContain('BEGIN RSA PRIVATE KEY');
      expect(kinds['tls/ec.key']).toContain('BEGIN EC PRIVATE KEY');
      for (const tls of [
        'cert: "${file:./tls/ec.pem}", key: "${file:./tls/ec.key}"',
        'cert: "${file:./tls/ec.pem}", key: "${file:./tls/ec.p8}"',
        'cert: "${file:./tls/ec.pem}", key: "${file:./tls/ec.enc}", passphrase: "${env:DISTRICT_KEY_PASS}"',
        'cert: "${file:./tls/rsa.pem}", key: "${file:./tls/rsa.key}"',
      ]) {
        await expect(loadConfig({ file: await writeConfig(target(tls), kinds), env })).resolves.toBeDefined();
      }
      // An RSA certificate with an EC key: OpenSSL keeps them in separate slots and checks neither
      // against the other, so the context is made and every handshake fails for want of the RSA key.
      const { problems } = await problemsOf(
        target('cert: "${file:./tls/rsa.pem}", key: "${file:./tls/ec.key}"'),
        env,
        kinds,
      );
      expect(problems.map((p) => [p.path, p.message])).toEqual([
        [
          'targets.province-mtls.tls.key',
          'target province-mtls: `tls.key` is not the key of the certificate in `cert`: the client certificate cannot be presented, and every request would fail before it is sent',
        ],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a `key` or `cert` written as a path, not PEM text: refused at the setting, the value not quoted', async () => {
    const key = await problemsOf(
      target('cert: "${file:./tls/district.pem}", key: "./tls/district.key"'),
      env,
      files,
    );
    expect(key.problems.map((p) => p.path)).toEqual(['targets.province-mtls.tls.key']);
    expect(key.problems[0]?.message).toContain(
      'target province-mtls: `tls.key` is not PEM text (no `-----BEGIN …-----` line): a file is read with `${file:…}`',
    );
    expect(key.problems[0]?.message).not.toContain('district.key');
    const cert = await problemsOf(
      target('cert: "./tls/district.pem", key: "${file:./tls/district.key}"'),
      env,
      files,
    );
    expect(cert.problems.map((p) => p.path)).toEqual(['targets.province-mtls.tls.cert']);
    expect(cert.problems[0]?.message).not.toContain('district.pem');
  });

  it('a reference that does not resolve is named as such, not as a key that is not PEM', async () => {
    const { problems } = await problemsOf(
      target('cert: "${file:./tls/district.pem}", key: "${env:DISTRICT_KEY}"'),
      env,
      files,
    );
    expect(problems.map((p) => p.path)).toEqual(['targets.province-mtls.tls.key']);
    expect(problems[0]?.message).not.toContain('PEM');
  });

  it('a signing server: `key` without `cert` refused at `tls.key`', async () => {
    const text = signer('key: "${file:./tls/neighbour.key}"');
    const { problems } = await problemsOf(text, env, files);
    expect(problems.map((p) => p.path)).toEqual(['signers.seal-server.tls.key']);
    expect(problems[0]?.message).toContain('signer seal-server: expected `tls.cert` with `tls.key`');
  });
});
