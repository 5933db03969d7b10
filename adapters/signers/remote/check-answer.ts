/**
 * A signing server's answer to a batch, checked before any signature of it is handed back: the
 * documented object with one signature per digest sent (none of them `null`), each strict DER with 1 ≤ r, s < n, and
 * the ones `checked` verifying over the digest sent with the server's key. A failure names the
 * seal, the key (its fingerprint) and the certificate serial it was checked against, and what did
 * not match; never key material, a digest or the signed content.
 */
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { bytesToBigInt, SM2_CURVE, type Sm2Point } from '../local-sm2/curve.js';
import {
  decodeSm2Signature,
  encodeSm2Signature,
  expectTlv,
  type Sm2SignatureValue,
  TAG_INTEGER,
  TAG_SEQUENCE,
} from '../local-sm2/der.js';
import { sm2VerifyDigest } from '../local-sm2/sm2.js';
import { statedError } from './server-text.js';

/** Signatures verified between two turns of the event loop (~25 ms of CPU). */
const VERIFY_SLICE = 8;

/** What the answer is checked against, for the checks and their messages. */
export interface AnswerScope {
  signer: string;
  /** `POST <path>`, as the request went. */
  request: string;
  sealId: string;
  /** The server's key, as opened. */
  point: Sm2Point;
  /** `keyFingerprint` of the server's key. */
  fingerprint: string;
  /** Serial of the seal certificate checked at open(), when there is one. */
  certificateSerial: string | null;
  /** The signer's credentials, never quoted back from what the server says (./server-text.ts). */
  credentials: readonly string[];
}

function failed(scope: AnswerScope, detail: string, retryable = false): LicbridgeError {
  const cert = scope.certificateSerial === null ? '' : `, certificate serial ${scope.certificateSerial}`;
  return new LicbridgeError(
    ErrorCodes.SIGNER_FAILED,
    `signer ${scope.signer}: seal ${scope.sealId} (key ${scope.fingerprint}${cert}): ${scope.request}: ${detail}`,
    {
      context: {
        signer: scope.signer,
        sealId: scope.sealId,
        keyFingerprint: scope.fingerprint,
        ...(scope.certificateSerial === null ? {} : { certificateSerial: scope.certificateSerial }),
      },
      retryable,
    },
  );
}

/**
 * What a 200 that is not the documented answer says of itself (`{"code": …, "message": …}`, as
 * servers answer an error with HTTP 200), as `; the server says: …` to end a message with
 * (./server-text.ts `statedError`: its code whole, its words masked); '' when it states nothing.
 */
export function serverSays(answer: unknown, credentials: readonly string[]): string {
  const text = statedError(answer, credentials);
  return text === '' ? '' : `; the server says: ${text}`;
}

/** The `signatures` of an answer, one per digest sent; a 200 with anything else fails retryable. */
function signaturesOf(answer: unknown, count: number, scope: AnswerScope): unknown[] {
  // `null`, a number or a list is JSON too: read as an object, it threw a TypeError, unnamed.
  const sigs =
    typeof answer === 'object' && answer !== null && !Array.isArray(answer)
      ? (answer as { signatures?: unknown }).signatures
      : undefined;
  if (!Array.isArray(sigs) || sigs.length !== count) {
    throw failed(
      scope,
      `expected ${count} signatures, got ${Array.isArray(sigs) ? sigs.length : `none${serverSays(answer, scope.credentials)}`}`,
      true,
    );
  }
  return sigs;
}

/** What the protocol asks a signature to be, for the message refusing one that is not. */
const ASKED = 'the protocol asks for base64 of DER SEQUENCE { r, s }';

/**
 * Why `s`, answered for `digest`, is not a DER signature, as the end of `signature <i> is not a DER
 * SM2 signature`: a server passing on what a device's interface gives (GM/T 0018's ECCSignature: r
 * and s as two 32-byte values) answers the raw 64 bytes, another the DER in hex. Only on the
 * failure path: the raw reading is verified (~3 ms) before it is named.
 */
function notDer(s: unknown, digest: Buffer, scope: AnswerScope): string {
  if (typeof s !== 'string') return ` (${s === null ? 'null' : typeof s}, not a string)`;
  const text = s.trim();
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) {
    try {
      decodeSm2Signature(Buffer.from(text, 'hex'));
      return `: it is DER in hex; ${ASKED}`;
    } catch {
      // Not DER in hex either: read as base64, below.
    }
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 64) {
    const raw = { r: bytesToBigInt(bytes.subarray(0, 32)), s: bytesToBigInt(bytes.subarray(32)) };
    if (sm2VerifyDigest(scope.point, digest, raw)) {
      return `: it is r and s as two 32-byte values (as GM/T 0018's ECCSignature holds them), 64 bytes; ${ASKED}`;
    }
  }
  return ` (${bytes.length} bytes)`;
}

const inRange = (v: bigint) => v >= 1n && v < SM2_CURVE.n;

/**
 * r and s of a `SEQUENCE { INTEGER, INTEGER }` whose INTEGERs are not in DER's fewest octets, read
 * as the unsigned 32-byte values a device gives (GM/T 0018's ECCSignature): a server writing them
 * into DER by hand pads them to 32 bytes (a leading 0x00 DER forbids, for one value in 256), puts
 * a 0x00 before every one, or none before a set top bit (a negative INTEGER). Undefined for
 * anything else. Lengths and tags are read as strictly as ever.
 */
function paddedValue(der: Uint8Array): Sm2SignatureValue | undefined {
  try {
    const seq = expectTlv(der, 0, TAG_SEQUENCE, 'SEQUENCE');
    if (seq.end !== der.length) return undefined;
    const r = expectTlv(seq.value, 0, TAG_INTEGER, 'INTEGER r');
    const s = expectTlv(seq.value, r.end, TAG_INTEGER, 'INTEGER s');
    if (s.end !== seq.value.length) return undefined;
    const unsigned = (v: Uint8Array) => {
      const start = v.findIndex((b) => b !== 0);
      return v.length <= 33 && start >= 0 && v.length - start <= 32 ? bytesToBigInt(v.subarray(start)) : 0n;
    };
    const value = { r: unsigned(r.value), s: unsigned(s.value) };
    return inRange(value.r) && inRange(value.s) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A signature as recorded: its DER, and whether the server wrote it in another form
 * (`paddedValue`), so that it is re-encoded and must verify before it is kept.
 */
function decoded(s: unknown): { der: Uint8Array; value: Sm2SignatureValue; padded: boolean } | undefined {
  const der = typeof s === 'string' ? Buffer.from(s, 'base64') : Buffer.alloc(0);
  try {
    const value = decodeSm2Signature(der);
    return inRange(value.r) && inRange(value.s)
      ? { der: new Uint8Array(der), value, padded: false }
      : undefined;
  } catch {
    const value = paddedValue(der);
    // Recorded in DER's one form: OpenSSL (and the platforms verifying with it) refuses any other,
    // and one signature must have one byte string.
    return value ? { der: encodeSm2Signature(value), value, padded: true } : undefined;
  }
}

/** Other digests of a batch a refused signature is tried against, at most (~3 ms each). */
const MISMATCH_TRIES = 32;

/** Positions to try a refused signature at `at` against: mirrored (a reversed batch), then nearest first (a shift). */
function suspects(at: number, n: number): number[] {
  const out = new Set<number>([n - 1 - at]);
  for (let d = 1; d < n && out.size <= MISMATCH_TRIES; d++) {
    if (at - d >= 0) out.add(at - d);
    if (at + d < n) out.add(at + d);
  }
  out.delete(at);
  return [...out].slice(0, MISMATCH_TRIES);
}

/**
 * What a signature that does not verify over its own digest does verify over, so the message says
 * what did not match: another digest of the batch is a server answering out of order; none is a
 * server signing with another key, another distinguishing ID, in another mode (ECDSA) or over
 * other data. Only on the failure path, and bounded: a batch of thousands is not all tried.
 */
async function mismatch(
  at: number,
  digests: readonly Buffer[],
  value: Sm2SignatureValue,
  scope: AnswerScope,
): Promise<string> {
  const tried = suspects(at, digests.length);
  let other = -1;
  for (const [k, j] of tried.entries()) {
    if (k > 0 && k % VERIFY_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (sm2VerifyDigest(scope.point, digests[j] as Buffer, value)) {
      other = j;
      break;
    }
  }
  const among =
    tried.length === digests.length - 1
      ? `none of the batch's ${digests.length} digest${digests.length === 1 ? '' : 's'}`
      : `none of the ${tried.length} digests of the batch nearest to it or mirrored`;
  const what =
    other >= 0
      ? `it verifies over digest ${other} of the batch (the server answered out of order)`
      : `it verifies over ${among} with key ${scope.fingerprint}: the server signed with another key (one renewed since this signer opened: restart it), another distinguishing ID, in another mode (ECDSA) or over other data`;
  return `signature ${at} of the batch does not verify over the digest sent with the server's key: ${what}`;
}

/**
 * The answer's signatures (DER), in the order of `digests`, once every one is well formed and the
 * ones at `checked` verify. The thread is let go between a few checks, so the answers and timers
 * of the other requests in flight are not held up behind a batch's checks.
 */
export async function checkAnswer(
  answer: unknown,
  digests: readonly Buffer[],
  checked: readonly number[],
  scope: AnswerScope,
): Promise<Uint8Array[]> {
  const values: Sm2SignatureValue[] = [];
  // Positions whose signature came in another form than DER's: verified whatever `checked` says,
  // since only its verifying over the digest sent shows the values were read as the server meant.
  const padded: number[] = [];
  const out = signaturesOf(answer, digests.length, scope).map((s, i) => {
    // No signature where one was due: the server did not sign this digest (its device failed
    // the one item), as an answer with too few signatures says of some; asking again may get it.
    // A signature in another form than DER is the server's format, which asking again keeps.
    if (s === null || s === '') {
      throw failed(
        scope,
        `signature ${i} is missing (${JSON.stringify(s)}): the server answered no signature for this digest; asked again later`,
        true,
      );
    }
    const sig = decoded(s);
    if (!sig) {
      const told = notDer(s, digests[i] as Buffer, scope);
      throw failed(scope, `signature ${i} is not a DER SM2 signature${told}`);
    }
    values.push(sig.value);
    if (sig.padded) padded.push(i);
    return sig.der;
  });
  const verified = padded.length === 0 ? checked : [...new Set([...checked, ...padded])];
  for (const [k, i] of verified.entries()) {
    if (k > 0 && k % VERIFY_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const value = values[i] as Sm2SignatureValue;
    if (!sm2VerifyDigest(scope.point, digests[i] as Buffer, value)) {
      throw failed(scope, await mismatch(i, digests, value, scope));
    }
  }
  return out;
}
