/**
 * A seal key signs licenses into the ledger only under a certificate that may sign. GB/T 20518
 * gives an SM2 signing certificate digitalSignature and nonRepudiation, and the encryption
 * certificate of a unit's pair keyEncipherment, dataEncipherment or keyAgreement: its key pair is
 * made and kept by the key management centre, so a signature under it is not the unit's alone, and
 * a platform checking the certificate refuses it. A signer configured with the encryption
 * certificate (the wrong file of the pair) opened, had its key registered and signed every version
 * under it, where `seal make`, `sign files` and `verify --file` refuse such a certificate. The key
 * is refused now where it is registered, before its first signature in the ledger: the sign stage,
 * `sign backfill` and `sign resign` all go through it.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../adapters/signers/signer.js';
import type { SignerConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openRegisteredSigner } from '../../pipelines/signing-keys.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { partyWithKeyUsage } from '../seal/pki.js';
import { makeTempDir } from '../signers/helpers.js';

describe('the certificate a seal key signs licenses under', () => {
  let dir: string;
  let cleanup: () => void;
  let ledger: Ledger;
  let ledgerFile: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    ledgerFile = join(dir, 'ledger.db');
    ledger = await openSqliteLedger(ledgerFile, { logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await ledger.close();
    cleanup();
  });

  /** A local signer whose key has a self-signed certificate of `keyUsage` (null: no extension). */
  const signerWith = (name: string, keyUsage: string | null): SignerConfig =>
    partyWithKeyUsage(dir, name, name, keyUsage).config as SignerConfig;

  const registered = (sealId: string): number => {
    const db = new Database(ledgerFile, { readonly: true });
    try {
      return (
        db.prepare('select count(*) as n from signing_keys where seal_id = ?').get(sealId) as { n: number }
      ).n;
    } finally {
      db.close();
    }
  };

  it('refuses a key under an encryption certificate before registering it', async () => {
    for (const [sealId, usage, told] of [
      ['enc-pair', 'keyEncipherment,dataEncipherment', 'keyEncipherment, dataEncipherment'],
      ['agreement', 'keyAgreement', 'keyAgreement'],
    ] as const) {
      const err = await openRegisteredSigner(ledger, 'district-seal', signerWith(sealId, usage)).catch(
        (e: unknown) => e,
      );
      // Opened (as before the refusal): closed again, so its threads do not outlive the test.
      if (!(err instanceof Error)) await (err as Signer).close();
      expect(err).toBeInstanceOf(LicbridgeError);
      const e = err as LicbridgeError;
      expect(e.code).toBe(ErrorCodes.SIGNER_KEY);
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(
        new RegExp(
          `^signer district-seal: certificate serial [0-9A-F]+ may not sign: its key usage is ${told}, without digitalSignature or nonRepudiation \\(GB/T 20518: a signing certificate's\\); no license is signed under it`,
        ),
      );
      expect(registered(sealId)).toBe(0);
    }
  });

  it('registers a key under a signing certificate, or one without a keyUsage extension', async () => {
    for (const [sealId, usage] of [
      ['signing', 'digitalSignature,nonRepudiation'],
      ['non-repudiation', 'nonRepudiation'],
      ['any-use', null],
    ] as const) {
      const signer = await openRegisteredSigner(ledger, 'district-seal', signerWith(sealId, usage));
      await signer.close();
      expect(registered(sealId)).toBe(1);
    }
  });
});
