import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir, selfSignedCertificate } from './helpers.js';

const PASSPHRASE = 'correct horse battery staple';

async function openError(config: Partial<LocalSm2SignerConfig>, now?: Date): Promise<LicbridgeError> {
  const signer = new LocalSm2Signer(
    'district-seal',
    { kind: 'local-sm2', sealId: 'S1', distId: '1234567812345678', workers: 0, ...config },
    now ? { now: () => now } : {},
  );
  try {
    await signer.open();
  } catch (e) {
    await signer.close();
    expect(e).toBeInstanceOf(LicbridgeError);
    const err = e as LicbridgeError;
    expect(err.message).toContain('signer district-seal');
    expect(err.message).not.toContain(PASSPHRASE);
    expect(err.message).not.toContain('PRIVATE KEY');
    expect(err.code).toBe(ErrorCodes.SIGNER_KEY);
    return err;
  }
  await signer.close();
  throw new Error('open() succeeded');
}

describe('local signer checks before the first signature', () => {
  let dir: string;
  let cleanup: () => void;
  const pair = generateSm2KeyPair();
  const other = generateSm2KeyPair();
  const encrypted = generateSm2KeyPair({ passphrase: PASSPHRASE });

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'other.pem'), other.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'open.pem'), pair.privateKeyPem, { mode: 0o600 });
    chmodSync(join(dir, 'open.pem'), 0o644);
    selfSignedCertificate(dir, { key: 'key.pem', subject: '/CN=seal', days: 30, out: 'cert.pem' });
  });
  afterAll(() => cleanup());

  it('refuses a key file readable by group or others', async () => {
    const err = await openError({ keyFile: join(dir, 'open.pem') });
    expect(err.message).toContain('open to group or others (mode 0644)');
    expect(err.message).toContain(join(dir, 'open.pem'));
  });

  it('refuses a corrupt key', async () => {
    const broken = pair.privateKeyPem.replace(/[A-Za-z]{8}\n/, 'AAAAAAAA\n');
    const err = await openError({ key: broken.slice(0, 120) });
    expect(err.message).toMatch(/private key: cannot read/);
  });

  it('refuses a wrong or missing passphrase', async () => {
    expect((await openError({ key: encrypted.privateKeyPem, passphrase: 'wrong' })).message).toMatch(
      /cannot decrypt/,
    );
    expect((await openError({ key: encrypted.privateKeyPem })).message).toMatch(/no passphrase/);
  });

  it('opens an encrypted key with its passphrase', async () => {
    const signer = new LocalSm2Signer('district-seal', {
      kind: 'local-sm2',
      key: encrypted.privateKeyPem,
      passphrase: PASSPHRASE,
      sealId: 'S1',
      distId: '1234567812345678',
      workers: 0,
    });
    await signer.open();
    expect(await signer.sign([Buffer.from('x')])).toHaveLength(1);
    await signer.close();
  });

  it('refuses a key its certificate does not certify', async () => {
    const err = await openError({ keyFile: join(dir, 'other.pem'), certificate: join(dir, 'cert.pem') });
    expect(err.message).toMatch(/does not certify the signing key/);
  });

  it('refuses an expired or not-yet-valid certificate', async () => {
    const config = { keyFile: join(dir, 'key.pem'), certificate: join(dir, 'cert.pem') };
    const later = new Date(Date.now() + 90 * 86_400_000);
    const earlier = new Date(Date.now() - 90 * 86_400_000);
    expect((await openError(config, later)).message).toMatch(/is expired at/);
    expect((await openError(config, earlier)).message).toMatch(/is not yet valid at/);
  });

  it('refuses both key and keyFile, and neither', async () => {
    expect((await openError({ key: pair.privateKeyPem, keyFile: join(dir, 'key.pem') })).message).toMatch(
      /not both/,
    );
    expect((await openError({})).message).toMatch(/no private key/);
  });
});
