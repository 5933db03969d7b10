// TBS_Sign's extDatas (GB/T 38540: [0] EXPLICIT ExtensionDatas) are signed with the rest of it,
// and an ExtData marked critical, as in X.509, is one a verifier that does not understand it may
// not accept the signature on. Their bytes were passed over unread, so a signature holding one
// verified. A critical extension licbridge does not understand now fails the signature; others
// are read and let be.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import {
  finishSignature,
  prepareSignature,
  SM2_SM3_OID,
} from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import { readWhole } from '../../adapters/signers/ses/der-reader.js';
import {
  boolean,
  concat,
  explicit,
  octetString,
  oid,
  sequence,
} from '../../adapters/signers/ses/der-writer.js';
import { encodeSesSignature, encodeTbsSign } from '../../adapters/signers/ses/signature-format.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { useSealKit } from './sealed-license.js';

describe('extensions of a signature', () => {
  const fixture = useSealKit();

  /** A license file whose TBS_Sign holds one extension `1.2.156.999.2` of `critical`, signed by the holder. */
  async function signedWith(critical: boolean): Promise<Buffer> {
    const now = new Date();
    const license = foodLicense(7);
    const info = docInfoFor(license, now);
    const prepared = prepareSignature(
      buildOfd(layoutFace(foodTemplate, license), info),
      info,
      foodTemplate.seal,
      now,
    );
    const bare = encodeTbsSign({
      sealDer: readFileSync(fixture.kit.sealFile),
      signedAt: now,
      dataHash: prepared.dataHash,
      propertyInfo: prepared.propertyInfo,
    });
    const ext = sequence(
      oid('1.2.156.999.2'),
      ...(critical ? [boolean(true)] : []),
      octetString(new Uint8Array([1])),
    );
    const tbs = sequence(concat([readWhole(bare, 'tbs').value, explicit(0, sequence(ext))]));
    const signer = new LocalSm2Signer('district', fixture.kit.holder.config);
    await signer.open();
    const [record] = await signer.sign([tbs]);
    await signer.close();
    const holderDer = certificateDer(readFileSync(fixture.kit.holder.certPath, 'utf8'));
    return finishSignature(
      prepared,
      encodeSesSignature(tbs, holderDer, SM2_SM3_OID, record?.signature as Uint8Array),
    );
  }

  it('fails a signature holding a critical extension licbridge does not understand', async () => {
    const result = verifyOfd(await signedWith(true), fixture.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([
      'the signature holds critical extension 1.2.156.999.2, which licbridge does not understand (a verifier that does not may not accept the signature)',
    ]);
  });

  it('passes a signature holding an extension that is not critical', async () => {
    const result = verifyOfd(await signedWith(false), fixture.kit.trust);
    expect(result.signatures[0]?.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
