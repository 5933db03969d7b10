/** The local SM2 signer: a software key in this process, real SM2 with SM3 (GB/T 32918). */
export { BASE_WINDOW_BITS, SM2_CURVE, SM2_CURVE_OID, Sm2Point, warmUpSm2 } from './curve.js';
export { DerError, decodeSm2Signature, encodeSm2Signature, type Sm2SignatureValue } from './der.js';
export {
  type GenerateSm2KeyPairOptions,
  generateSm2KeyPair,
  type LoadedSm2Key,
  loadSm2PrivateKey,
  parseSm2PublicKeyPem,
} from './keys.js';
export {
  createInProcessEngine,
  LOCAL_SM2_KIND,
  LocalSm2Signer,
  type Sm2SignEngine,
  type Sm2SigningMaterial,
  type Sm2SignOutput,
  verifySm2Signature,
} from './local-sm2-signer.js';
export {
  type Sm2PrivateKey,
  type Sm2PublicKeyInput,
  sm2Digest,
  sm2DigestWithZ,
  sm2PrivateKey,
  sm2Sign,
  sm2SignDigest,
  sm2SignDigestWithK,
  sm2Verify,
  sm2VerifyDigest,
  sm2Z,
} from './sm2.js';
