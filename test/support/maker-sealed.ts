/**
 * A seal made outside `seal make`, as another vendor's tool makes one: the holder's seal info
 * (GB/T 38540 `SES_SealInfo`: its certificate, the picture, valid from the certificate's start,
 * by default to its end) and the seal the maker signs over the info a test gives it.
 */
import { readFileSync } from 'node:fs';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import type { Der } from '../../adapters/signers/ses/der-writer.js';
import {
  decodeSeal,
  encodeSeal,
  encodeSealInfo,
  type SesSeal,
} from '../../adapters/signers/ses/seal-format.js';
import { SM2_SM3_OID } from '../../adapters/signers/signer.js';
import type { Party } from '../seal/pki.js';

/** The seal info of `holder`'s seal; `validForMs` from its certificate's start, else to its end. */
export function holderSealInfo(
  holder: Party,
  seal: { vendorId: string; esId: string; validForMs?: number },
): Der {
  const holderPem = readFileSync(holder.certPath, 'utf8');
  const cert = parseCertificate('holder', holderPem, 'holder');
  return encodeSealInfo({
    vendorId: seal.vendorId,
    esId: seal.esId,
    type: 2,
    name: '电子证照专用章',
    holderCertificates: [certificateDer(holderPem)],
    holderCertificateDigests: [],
    createdAt: new Date(),
    validFrom: cert.notBefore,
    validTo:
      seal.validForMs === undefined ? cert.notAfter : new Date(cert.notBefore.getTime() + seal.validForMs),
    picture: { type: 'png', data: drawRoundSeal(60), widthMm: 42, heightMm: 42 },
    extensions: [],
  });
}

/** The seal `maker` signs over `info` (the DER of a seal info), as read back. */
export async function sealSignedBy(maker: Party, info: Uint8Array): Promise<SesSeal> {
  const signer = new LocalSm2Signer('maker', maker.config);
  await signer.open();
  const [record] = await signer.sign([info]);
  await signer.close();
  const makerDer = certificateDer(readFileSync(maker.certPath, 'utf8'));
  return decodeSeal(encodeSeal(info, makerDer, SM2_SM3_OID, record?.signature as Uint8Array));
}
