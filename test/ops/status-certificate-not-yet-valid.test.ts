/**
 * A seal certificate whose validity has not begun (a renewed one installed before its start): every
 * signer refuses to open with it (adapters/signers/certificate.ts), so nothing is signed or
 * delivered until then, and `status` says so, where it checked only the end of the validity.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import type { Config } from '../../config/types.js';
import { zonedTime } from '../../core/zoned-time.js';
import { certificateAttention, readCertificates } from '../../pipelines/observability/attention.js';
import { makeTempDir, selfSignedCertificate } from '../signers/helpers.js';

const DAY_MS = 86_400_000;

describe('status: a seal certificate not valid yet', () => {
  let dir: string;
  let cleanup: () => void;
  let config: Readonly<Config>;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    // Valid from now for 400 days: looked at from ten days before, it has not begun.
    selfSignedCertificate(dir, { key: 'key.pem', days: 400, out: 'cert.pem' });
    config = {
      signers: {
        'district-seal': {
          kind: 'local-sm2',
          keyFile: join(dir, 'key.pem'),
          certificate: join(dir, 'cert.pem'),
          sealId: 'S1',
        },
      },
    } as unknown as Config;
  });
  afterAll(() => cleanup());

  it('is named, with the time it begins, before that time', async () => {
    const certificates = await readCertificates(config);
    const cert = new X509Certificate(readFileSync(join(dir, 'cert.pem')));
    const start = new Date(cert.validFrom).toISOString();
    // On the configured clock; `status --json` keeps UTC ISO.
    const shown = zonedTime(start, 'Asia/Shanghai');
    const notes = certificateAttention(certificates, new Date(Date.now() - 10 * DAY_MS), 'Asia/Shanghai');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.kind).toBe('certificate');
    expect(notes[0]?.message).toBe(
      `signer district-seal: the seal certificate is valid only from ${shown}; the signer refuses to sign before then, so nothing is signed or delivered: configure the certificate in force now, and this one from ${shown} on`,
    );
    // `status --json` lists it with both ends of its validity.
    expect(certificates[0]).toMatchObject({ signer: 'district-seal', notBefore: start });
  });

  it('is nothing to say once it has begun', async () => {
    const certificates = await readCertificates(config);
    expect(certificateAttention(certificates, new Date(Date.now() + DAY_MS), 'Asia/Shanghai')).toEqual([]);
  });
});
