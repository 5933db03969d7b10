/**
 * A seal key new to the ledger's registry (a first key, a renewed key, a new certificate of a key)
 * is a `register-key` entry of the audit chain, written with it; registering a key and certificate
 * the registry holds already is no act and adds no entry. The chain verifies with the entries in it.
 */
import { describe, expect, it } from 'vitest';
import type { SigningKeyRecord } from '../../ledger/ledger.js';
import { BACKENDS, withLedger } from '../ledger/backends.js';

const key = (keyId: string, serial: string | null): SigningKeyRecord => ({
  keyId,
  sealId: 'district-seal',
  signerKind: 'local-sm2',
  distId: '1234567812345678',
  publicKeyPem: `-----BEGIN PUBLIC KEY-----\n${keyId}\n-----END PUBLIC KEY-----\n`,
  certificatePem: null,
  certificateSerial: serial,
  certificateIssuer: serial === null ? null : 'CN=Test CA',
  notBefore: serial === null ? null : new Date('2026-01-01T00:00:00.000Z'),
  notAfter: serial === null ? null : new Date('2028-01-01T00:00:00.000Z'),
});

describe.each(BACKENDS)('registering seal keys in the audit chain ($name)', (backend) => {
  it('writes one register-key entry for each key or certificate new to the registry', async () => {
    await withLedger(backend, async (ledger) => {
      await ledger.registerSigningKey(key('a1', null));
      await ledger.registerSigningKey(key('a1', null));
      await ledger.registerSigningKey(key('a1', '0F'));
      await ledger.registerSigningKey(key('b2', '10'));
      await ledger.registerSigningKey(key('b2', '10'));
      const entries = await ledger.readAudit({ limit: 100 });
      expect(entries.map((e) => [e.action, e.actor, e.digest, e.licenseId])).toEqual([
        ['register-key', 'signer:district-seal', 'a1', null],
        ['register-key', 'signer:district-seal', 'a1', null],
        ['register-key', 'signer:district-seal', 'b2', null],
      ]);
      expect(JSON.parse(entries[2]?.detail ?? '')).toEqual({
        certificateSerial: '10',
        distId: '1234567812345678',
        notAfter: '2028-01-01T00:00:00.000Z',
        notBefore: '2026-01-01T00:00:00.000Z',
        signerKind: 'local-sm2',
      });
      expect((await ledger.signingKeys()).length).toBe(3);
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    });
  });

  it('writes one entry for a key registered by several writers at once', async () => {
    await withLedger(backend, async (ledger) => {
      await Promise.all(Array.from({ length: 6 }, () => ledger.registerSigningKey(key('c3', '11'))));
      const entries = await ledger.readAudit({ limit: 100 });
      expect(entries.map((e) => [e.action, e.digest])).toEqual([['register-key', 'c3']]);
      expect(await ledger.verifyAudit()).toMatchObject({ ok: true });
    });
  });
});
