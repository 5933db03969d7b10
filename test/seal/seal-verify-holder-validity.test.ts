// `seal verify --at T` says whether the seal can stand behind a signature made at T. A seal states
// its own validity, and `seal make` copies it from the holder's certificate; a seal made elsewhere
// may state a longer one than the certificates it lists. Checked against the seal's validity
// alone, such a seal was reported "valid at T" when every certificate it lists had expired by T —
// a time at which `sign files` refuses it and `verify --file` fails every file it seals (the
// signer's certificate is checked at the signing time). It now fails naming the certificates.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import type { SesSeal } from '../../adapters/signers/ses/seal-format.js';
import { verifySeal } from '../../pipelines/seals.js';
import { makeTempDir } from '../signers/helpers.js';
import { holderSealInfo, sealSignedBy } from '../support/maker-sealed.js';
import { type Party, party } from './pki.js';

const DAY = 86_400_000;

describe('seal verify judges the certificates the seal lists at the moment asked', () => {
  let cleanup: () => void;
  let maker: Party;
  let holder: Party;
  let trust: TrustedMaterial[];

  beforeAll(() => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    maker = party(dir, 'maker', 'Seal Maker');
    // The holder's certificate ends in two days.
    holder = party(dir, 'holder', 'Issuing Unit', 2);
    const trusted = (p: Party, role: 'seal-maker' | 'signer'): TrustedMaterial => {
      const certificate = parseCertificate(role, readFileSync(p.certPath, 'utf8'), p.certPath);
      return { publicKeyPem: certificate.publicKeyPem, certificate, origin: role, role };
    };
    trust = [trusted(maker, 'seal-maker'), trusted(holder, 'signer')];
  });
  afterAll(() => cleanup());

  /** A seal of the holder, made by the maker now, valid a year from the holder certificate's start. */
  async function yearLongSeal(): Promise<SesSeal> {
    const info = holderSealInfo(holder, {
      vendorId: 'other-vendor',
      esId: '37021100000041',
      validForMs: 365 * DAY,
    });
    return sealSignedBy(maker, info);
  }

  it('passes while a certificate it lists is valid', async () => {
    const seal = await yearLongSeal();
    expect(verifySeal(seal, new Date(), trust, []).problems).toEqual([]);
  });

  it('fails once every certificate it lists has expired, inside the validity the seal states', async () => {
    const seal = await yearLongSeal();
    const at = new Date(Date.now() + 5 * DAY);
    expect(at.getTime()).toBeLessThan(seal.info.validTo.getTime());
    const serial = parseCertificate('holder', readFileSync(holder.certPath, 'utf8'), 'holder').serial;
    const { problems } = verifySeal(seal, at, trust, []);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(
        `^no certificate the seal lists is valid at ${at.toISOString()}: serial ${serial} expired at .*; it signs nothing then, and \`verify --file\` fails what it seals then$`,
      ),
    );
  });
});
