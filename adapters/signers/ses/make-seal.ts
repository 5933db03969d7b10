/**
 * Making an electronic seal (GB/T 38540 version 4): the registered seal image, the holder's
 * certificate, a validity equal to that certificate's (e-seal rules, art. 10), signed by the seal
 * maker through the signer contract — so the maker's key may stay on a signing server.
 */
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { parseCertificate, signingUseProblem } from '../certificate.js';
import { DEFAULT_DIST_ID, type DescribedSigner, SM2_SM3_OID } from '../signer.js';
import { certificateDer, checkSeal } from './check-seal.js';
import { pngSize } from './png.js';
import { decodeSeal, encodeSeal, encodeSealInfo, type SesSeal } from './seal-format.js';

export interface MakeSealInput {
  /** The seal maker's signer, opened; its certificate goes into the seal. */
  maker: DescribedSigner;
  /** PEM certificate of the seal holder (the unit's signing certificate). */
  holderCertificatePem: string;
  /** The registered seal image, PNG. */
  image: Uint8Array;
  name: string;
  /** Seal id (IA5: ASCII). */
  esId: string;
  /** Seal type code. */
  type: number;
  widthMm: number;
  heightMm: number;
  /** Vendor id written in the header. */
  vendorId: string;
  now: Date;
}

function fail(detail: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `seal make: ${detail}`);
}

export async function makeSeal(input: MakeSealInput): Promise<SesSeal> {
  const makerInfo = input.maker.keyInfo();
  if (makerInfo.certificatePem === null) {
    throw fail(
      `the maker signer ${input.maker.name} has no certificate; a seal carries the maker's certificate`,
    );
  }
  // Verifiers of seals use the default id (GB/T 35276); a maker key with another id cannot be checked.
  if (makerInfo.distId !== DEFAULT_DIST_ID) {
    throw fail(
      `the maker signer ${input.maker.name} uses distinguishing id ${makerInfo.distId}; seals need the default ${DEFAULT_DIST_ID}`,
    );
  }
  // Checked before the maker signs: a reader takes each as a safe integer (der-reader.ts), and a
  // seal refused on decoding would have cost the maker's signature (a signing server call).
  for (const key of ['type', 'widthMm', 'heightMm'] as const) {
    const v = input[key];
    if (!Number.isSafeInteger(v) || v < 0)
      throw fail(`\`${key}\` ${String(v)} is not a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`);
  }
  if (!/^[\x20-\x7e]+$/.test(input.esId))
    throw fail(`seal id ${JSON.stringify(input.esId)} must be printable ASCII`);
  // The header's vendor id is an IA5String as the seal id is: refused here, naming the option,
  // where the DER writer threw a bare RangeError naming neither.
  if (!/^[\x20-\x7e]+$/.test(input.vendorId))
    throw fail(`vendor id ${JSON.stringify(input.vendorId)} must be printable ASCII (--vendor)`);
  if (!pngSize(input.image)) throw fail('the seal image is not a PNG');
  const holder = parseCertificate('seal holder', input.holderCertificatePem, 'holder certificate');
  // A seal is for signing: a holder certificate whose key usage forbids it (a unit's encryption
  // certificate, GB/T 20518) makes a seal every verifier fails.
  const holderUse = signingUseProblem(holder);
  if (holderUse) throw fail(`the holder certificate serial ${holder.serial} ${holderUse}`);
  if (holder.notAfter.getTime() < input.now.getTime()) {
    throw fail(`the holder certificate serial ${holder.serial} expired on ${holder.notAfter.toISOString()}`);
  }
  const signedBytes = encodeSealInfo({
    vendorId: input.vendorId,
    esId: input.esId,
    type: input.type,
    name: input.name,
    holderCertificates: [certificateDer(holder.pem)],
    holderCertificateDigests: [],
    createdAt: input.now,
    // Art. 10: the seal is valid exactly as long as the holder's certificate.
    validFrom: holder.notBefore,
    validTo: holder.notAfter,
    picture: { type: 'png', data: input.image, widthMm: input.widthMm, heightMm: input.heightMm },
    extensions: [],
  });
  const [record] = await input.maker.sign([signedBytes]);
  if (!record) throw fail(`the maker signer ${input.maker.name} returned no signature`);
  const der = encodeSeal(
    signedBytes,
    certificateDer(makerInfo.certificatePem),
    SM2_SM3_OID,
    record.signature,
  );
  const seal = decodeSeal(der);
  // The seal is checked as any verifier will check it before it is handed out.
  const { problems } = checkSeal(
    seal,
    input.now.getTime() < holder.notBefore.getTime() ? holder.notBefore : input.now,
  );
  if (problems.length > 0) throw fail(`the new seal does not check: ${problems.join('; ')}`);
  return seal;
}
