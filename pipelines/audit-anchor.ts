/**
 * Checking the audit chain against signed exports kept outside the ledger.
 *
 * The chain and its head live in one database: whoever can write there can cut entries off the end
 * and set the head back, or rewrite every entry from some point on with fresh hashes, and the walk
 * of `verifyAudit` finds a chain that fits. A signed export (pipelines/audit.ts) kept elsewhere
 * pins the chain as it was: each of its entries must still be in the chain at its `seq` with the
 * same hash, and the chain must still reach its last entry. The export's own SM2 signature is
 * checked first, with the public key written beside it, so a cut or edited export is refused.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { decodeSm2Signature } from '../adapters/signers/local-sm2/der.js';
import { parseSm2PublicKeyPem } from '../adapters/signers/local-sm2/keys.js';
import { sm2VerifyDigest, sm2Z } from '../adapters/signers/local-sm2/sm2.js';
import { DEFAULT_DIST_ID } from '../adapters/signers/signer.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { AuditEntry, AuditVerification } from '../ledger/audit-types.js';
import type { Ledger } from '../ledger/ledger.js';

/** Export entries compared with the chain at a time. */
const ANCHOR_PAGE = 5000;

export interface AnchorOptions {
  /** The distinguishing id the export was signed with. @defaultValue `1234567812345678` */
  distId?: string;
}

/** A problem with an export file itself (not the chain): exits as a failed command, naming the file. */
function exportProblem(file: string, what: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `audit: export ${file}: ${what}`);
}

/** Whether `file.sig` is an SM2 signature over `file`'s bytes by the key in `file.pub.pem`. */
async function checkSignature(file: string, distId: string): Promise<void> {
  let pem: string;
  let der: Buffer;
  try {
    [pem, der] = await Promise.all([readFile(`${file}.pub.pem`, 'utf8'), readFile(`${file}.sig`)]);
  } catch (e) {
    throw exportProblem(file, `its signature or public key cannot be read: ${(e as Error).message}`);
  }
  let key: ReturnType<typeof parseSm2PublicKeyPem>;
  try {
    key = parseSm2PublicKeyPem(pem);
  } catch (e) {
    // A damaged key file is a problem of the export, not a broken chain (which exits 1).
    throw exportProblem(file, `its public key ${file}.pub.pem cannot be read: ${(e as Error).message}`);
  }
  // e = SM3(Z ‖ file), hashed as the file streams: an export of the whole chain is not held whole.
  const hash = createHash('sm3').update(sm2Z(key, distId));
  for await (const piece of createReadStream(file)) hash.update(piece as Buffer);
  let valid = false;
  try {
    valid = sm2VerifyDigest(key, hash.digest(), decodeSm2Signature(der));
  } catch {
    valid = false;
  }
  if (!valid) {
    throw exportProblem(
      file,
      `its signature does not verify over it with ${file}.pub.pem (distid ${distId}): the export was changed or cut, or signed with another distinguishing id`,
    );
  }
}

/** The export's entries, a page at a time, as written (one JSON object a line). */
async function* exportPages(file: string): AsyncIterable<{ seq: number; hash: string }[]> {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let page: { seq: number; hash: string }[] = [];
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line === '') continue;
    let e: Partial<AuditEntry>;
    try {
      e = JSON.parse(line) as Partial<AuditEntry>;
    } catch {
      throw exportProblem(file, `line ${n} is not a JSON entry`);
    }
    if (!Number.isSafeInteger(e.seq) || typeof e.hash !== 'string') {
      throw exportProblem(file, `line ${n} has no seq and hash`);
    }
    page.push({ seq: e.seq as number, hash: e.hash });
    if (page.length >= ANCHOR_PAGE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/**
 * Checks an intact chain (`verified`, from `verifyAudit`) against each export in `files`: the
 * first export entry the chain no longer holds as exported fails the verification, naming it. A
 * chain that does not verify on its own is returned as it is.
 */
export async function checkAuditAnchors(
  ledger: Pick<Ledger, 'readAudit'>,
  verified: AuditVerification,
  files: readonly string[],
  options: AnchorOptions = {},
): Promise<AuditVerification> {
  if (!verified.ok) return verified;
  const distId = options.distId ?? DEFAULT_DIST_ID;
  for (const file of files) {
    await checkSignature(file, distId);
    for await (const page of exportPages(file)) {
      const first = page[0]?.seq ?? 1;
      const last = page[page.length - 1]?.seq ?? first;
      const inChain = new Map<number, string>();
      let after = first - 1;
      // Only up to the head that was verified: an entry past it was not walked.
      const upTo = Math.min(last, verified.headSeq);
      while (after < upTo) {
        const rows = await ledger.readAudit({ afterSeq: after, toSeq: upTo, limit: ANCHOR_PAGE });
        if (rows.length === 0) break;
        for (const r of rows) inChain.set(r.seq, r.hash);
        after = (rows[rows.length - 1] as AuditEntry).seq;
      }
      for (const e of page) {
        if (e.seq > verified.headSeq) {
          return {
            ok: false,
            entries: verified.entries,
            headSeq: verified.headSeq,
            firstBad: {
              seq: verified.headSeq + 1,
              kind: 'head-mismatch',
              message: `the export ${file} holds entry ${e.seq}, the chain ends at ${verified.headSeq}: entries from ${verified.headSeq + 1} on were cut off the end`,
            },
          };
        }
        if (inChain.get(e.seq) !== e.hash) {
          return {
            ok: false,
            entries: verified.entries,
            headSeq: verified.headSeq,
            firstBad: {
              seq: e.seq,
              kind: 'anchor-differs',
              message: `entry ${e.seq} is not the one the export ${file} holds (its hash differs): the chain was rewritten from there on`,
            },
          };
        }
      }
    }
  }
  return verified;
}
