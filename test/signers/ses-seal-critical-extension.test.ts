// A seal's extDatas (GB/T 38540 ExtData: extnID, critical, extnValue) are signed by its maker,
// and `critical` says, as in an X.509 certificate, that a verifier that does not understand the
// extension may not accept the seal — a maker limiting where the seal may be used says so there.
// Every extension was read and passed over, critical or not, so such a seal sealed files that
// verified. A critical extension licbridge does not understand now fails the seal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSeal } from '../../adapters/signers/ses/check-seal.js';
import { readWhole } from '../../adapters/signers/ses/der-reader.js';
import { boolean, concat, octetString, oid, sequence } from '../../adapters/signers/ses/der-writer.js';
import { type Party, party } from '../seal/pki.js';
import { holderSealInfo, sealSignedBy } from '../support/maker-sealed.js';
import { makeTempDir } from './helpers.js';

describe('seal extensions', () => {
  let cleanup: () => void;
  let maker: Party;
  let holder: Party;

  beforeAll(() => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    maker = party(dir, 'maker', 'West Coast Seal Administration');
    holder = party(dir, 'holder', 'West Coast Market Supervision Bureau');
  });
  afterAll(() => cleanup());

  /** A seal the maker signed, holding one extension `1.2.156.999.1` of `critical`. */
  async function sealWith(critical: boolean) {
    const bare = holderSealInfo(holder, { vendorId: 'licbridge', esId: '37021100000030' });
    const ext = sequence(
      oid('1.2.156.999.1'),
      ...(critical ? [boolean(true)] : []),
      octetString(new Uint8Array([1])),
    );
    const info = sequence(concat([readWhole(bare, 'info').value, sequence(ext)]));
    return sealSignedBy(maker, info);
  }

  it('fails a seal holding a critical extension licbridge does not understand', async () => {
    const seal = await sealWith(true);
    expect(seal.info.extensions).toEqual([
      { id: '1.2.156.999.1', critical: true, value: new Uint8Array([1]) },
    ]);
    expect(checkSeal(seal, new Date()).problems).toEqual([
      'the seal holds critical extension 1.2.156.999.1, which licbridge does not understand (a verifier that does not may not accept the seal)',
    ]);
  });

  it('passes a seal holding an extension that is not critical', async () => {
    expect(checkSeal(await sealWith(false), new Date()).problems).toEqual([]);
  });
});
