/**
 * The signing time the remote signer records with a signature is when the server's answer came,
 * after any wait for a Retry-After or a backoff, per batch: the ledger's `signedAt` is what
 * `verify` checks the certificate's validity against. A certificate that ended while a batch
 * waited fails it (`LB_SIGNER_KEY`) instead of recording signatures made after its end. Before,
 * the time was taken once before the waits: a signature recorded as made before the moment the
 * server made it, and one made after the certificate had ended recorded as made within it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import type { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir, selfSignedCertificate } from './helpers.js';
import { remoteSigner } from './remote-signer-fixture.js';
import { type ScriptedAnswer, type ScriptedServer, scriptedSigningServer } from './remote-signer-scripted.js';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const busy: ScriptedAnswer = { status: 503, headers: { 'retry-after': '1' }, body: '{"error":"busy"}' };

function signer(url: string, given: Record<string, unknown> = {}, now?: () => Date): RemoteSigner {
  return remoteSigner(
    'city-seal',
    url,
    { batchSize: 1, attempts: 3, ...given },
    now === undefined ? {} : { now },
  );
}

describe('signedAt', () => {
  it("is the time the batch's answer came, after the Retry-After it waited", async () => {
    server = await scriptedSigningServer((n) => (n === 0 ? busy : undefined));
    const s = signer(server.url, { batchSize: 10 });
    await s.open();
    try {
      const [record] = await s.sign([Buffer.from('{"license":1}')]);
      expect(server.answeredAt).toHaveLength(2);
      // The signature was made when the second request was answered; it is not recorded earlier.
      expect(record?.signedAt.getTime()).toBeGreaterThanOrEqual(server.answeredAt[1] as number);
    } finally {
      await s.close();
    }
  });

  it('is per batch: a batch answered at once is not stamped with the time of one that waited', async () => {
    server = await scriptedSigningServer((n) => (n === 0 ? busy : undefined));
    const s = signer(server.url);
    await s.open();
    try {
      const records = await s.sign([Buffer.from('{"license":1}'), Buffer.from('{"license":2}')]);
      expect(server.answeredAt).toHaveLength(3);
      const [, early, late] = server.answeredAt as [number, number, number];
      const times = records.map((r) => r.signedAt.getTime()).sort((a, b) => a - b);
      expect(times[0]).toBeGreaterThanOrEqual(early);
      expect(times[0]).toBeLessThan(late);
      expect(times[1]).toBeGreaterThanOrEqual(late);
    } finally {
      await s.close();
    }
  });

  it("signs at the certificate's last instant (notAfter is within it) and refuses 1 ms later", async () => {
    server = await scriptedSigningServer(() => undefined);
    writeFileSync(join(tmp.dir, 'key.pem'), server.privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(tmp.dir, { days: 1 });
    const certificate = join(tmp.dir, 'cert.pem');
    const notAfter = parseCertificate('t', readFileSync(certificate, 'utf8'), 'cert').notAfter;
    const answered = server.answeredAt;
    // Within the certificate until the first sign request is answered; then `after` ms past its end.
    let after = 0;
    const now = () => new Date(notAfter.getTime() + (answered.length >= 1 ? after : -60_000));
    const s = signer(server.url, { batchSize: 10, certificate }, now);
    await s.open();
    try {
      const [record] = await s.sign([Buffer.from('{"license":1}')]);
      expect(record?.signedAt.getTime()).toBe(notAfter.getTime());
      after = 1;
      answered.length = 0;
      const err = await s.sign([Buffer.from('{"license":2}')]).catch((e: unknown) => e);
      expect(answered).toHaveLength(1);
      expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
      expect((err as LicbridgeError).message).toMatch(/is expired at .*; refusing to sign/);
    } finally {
      await s.close();
    }
  });

  it('a certificate that ends while the batch waits fails it, no signature handed back', async () => {
    server = await scriptedSigningServer((n) => (n === 0 ? busy : undefined));
    writeFileSync(join(tmp.dir, 'key.pem'), server.privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(tmp.dir, { days: 1 });
    const certificate = join(tmp.dir, 'cert.pem');
    const notAfter = parseCertificate('t', readFileSync(certificate, 'utf8'), 'cert').notAfter;
    // The signer's clock: within the certificate until the server has answered the sign request
    // it waits for, past its end from then on.
    const answered = server.answeredAt;
    const now = () => new Date(notAfter.getTime() + (answered.length >= 2 ? 1_000 : -60_000));
    const s = signer(server.url, { batchSize: 10, certificate }, now);
    await s.open();
    try {
      const err = await s.sign([Buffer.from('{"license":1}')]).catch((e: unknown) => e);
      expect(answered).toHaveLength(2);
      expect(err).toBeInstanceOf(LicbridgeError);
      expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
      expect((err as LicbridgeError).message).toMatch(/signer city-seal: certificate: .* is expired at/);
    } finally {
      await s.close();
    }
  });
});
