/**
 * Checking the audit chain against signed exports kept outside the ledger.
 *
 * The chain and its head live in one database: whoever can write there can cut entries off the end
 * and set the head back, or rewrite every entry from some point on with fresh hashes, and the walk
 * of `verifyAudit` finds a chain that fits. A signed export (pipelines/audit.ts) kept elsewhere
 * pins the chain as it was: each of its entries must still be in the chain at its `seq` with the
 * same hash, and the chain must still reach its last entry. The export's own SM2 signature is
 * checked first, with the public key written beside it, and that key must be one the operator
 * configured or named (audit-export-keys.ts), so a cut, edited or re-signed export is refused.
 *
 * An export is of one ledger: the hash of the chain's entry 1 is that ledger's identity. An export
 * that starts at entry 1 holds it; one that starts later carries it as `chainStart` on its first
 * line (pipelines/audit.ts). An export whose chain start is not this chain's entry 1 fails as an
 * export of another ledger, not as a rewrite from its first entry on.
 */

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { decodeSm2Signature } from '../adapters/signers/local-sm2/der.js';
import { parseSm2PublicKeyPem } from '../adapters/signers/local-sm2/keys.js';
import { sm2VerifyDigest, sm2Z } from '../adapters/signers/local-sm2/sm2.js';
import { DEFAULT_DIST_ID } from '../adapters/signers/signer.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { AuditEntry, AuditVerification } from '../ledger/audit-types.js';
import type { Ledger } from '../ledger/ledger.js';
import { type AnchorKeys, acceptedKey } from './audit-export-keys.js';

/** Export entries compared with the chain at a time. */
const ANCHOR_PAGE = 5000;

export interface AnchorOptions {
  /** The distinguishing id the export was signed with. @defaultValue `1234567812345678` */
  distId?: string;
  /**
   * Told after each page of an export compared with the chain: the export and how many of its
   * entries were compared so far. Counts only, for a command's progress line.
   */
  onCompared?: (file: string, compared: number) => void;
  /**
   * Told after each piece of an export hashed for its signature check: the export, the bytes hashed
   * so far and its size (a whole chain's export runs to gigabytes). Counts only.
   */
  onHashed?: (file: string, hashed: number, size: number) => void;
}

/** One export checked: how many entries it pins (none for an empty one) and the key that signed it. */
export interface AnchorExport {
  file: string;
  entries: number;
  /** Where the accepted key came from (`signer <name>`, `trust <name>`, `--key <file>`). */
  key: string;
}

/** A verification with the exports it was checked against (those checked before a failure). */
export type AnchoredVerification = AuditVerification & { exports?: AnchorExport[] };

const HASH = /^[0-9a-f]{64}$/;

/** A problem with an export file itself (not the chain): exits as a failed command, naming the file. */
function exportProblem(file: string, what: string): LicbridgeError {
  return new LicbridgeError(ErrorCodes.USAGE, `audit: export ${file}: ${what}`);
}

/** What an export's signature was checked over: Z, and e = SM3(Z ‖ the file's bytes) as read then. */
interface SignedBytes {
  z: Uint8Array;
  digest: Buffer;
}

/**
 * Whether `file.sig` is an SM2 signature over `file`'s bytes by the key in `file.pub.pem`, and that
 * key one of `anchorKeys`' trusted ones; returns where that key came from, and what was hashed.
 */
async function checkSignature(
  file: string,
  distId: string,
  anchorKeys: AnchorKeys,
  onHashed?: AnchorOptions['onHashed'],
): Promise<{ origin: string; signed: SignedBytes }> {
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
  // Before the signature: a signature by a key of the forger's own verifies.
  const accepted = acceptedKey(file, pem, anchorKeys);
  // e = SM3(Z ‖ file), hashed as the file streams: an export of the whole chain is not held whole.
  const z = sm2Z(key, distId);
  const hash = createHash('sm3').update(z);
  let input: Awaited<ReturnType<typeof open>>;
  try {
    input = await open(file);
  } catch (e) {
    // Gone from beside its .sig and .pub.pem: a problem of the export named, not a crash's bare error.
    throw exportProblem(
      file,
      `it cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    // The size as opened, for the progress's total; the bytes hashed are those read.
    const size = onHashed ? (await input.stat()).size : 0;
    let hashed = 0;
    for await (const piece of input.createReadStream({ autoClose: false })) {
      hash.update(piece as Buffer);
      hashed += (piece as Buffer).length;
      onHashed?.(file, hashed, size);
    }
  } finally {
    await input.close();
  }
  const digest = hash.digest();
  let valid = false;
  try {
    valid = sm2VerifyDigest(key, digest, decodeSm2Signature(der));
  } catch {
    valid = false;
  }
  if (!valid) {
    throw exportProblem(
      file,
      `its signature does not verify over it with ${file}.pub.pem (distid ${distId}): the export was changed or cut, or signed with another distinguishing id`,
    );
  }
  return { origin: accepted.origin, signed: { z, digest } };
}

/**
 * The export's entries, a page at a time, as written (one JSON object a line). `identity` gets the
 * ledger identity the export records: its entry 1's hash, or the first line's `chainStart`.
 *
 * The file is opened again by its name: one put in its place after its signature was checked
 * (renamed over it, or written into) was compared unsigned, and an export cut to fit a chain cut
 * short passed. The bytes read are hashed as the signature's were, and must be those `signed`
 * names before the last page is handed on: the entries compared are then the ones signed.
 */
async function* exportPages(
  file: string,
  identity: { chainStart?: string },
  signed: SignedBytes,
): AsyncIterable<{ seq: number; hash: string }[]> {
  const input = createReadStream(file);
  const read = createHash('sm3').update(signed.z);
  input.on('data', (piece) => read.update(piece as Buffer));
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
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
    if (page.length === 0 && n === 1) {
      const start = e.seq === 1 ? e.hash : (e as { chainStart?: unknown }).chainStart;
      if (typeof start === 'string' && HASH.test(start)) identity.chainStart = start;
    }
    page.push({ seq: e.seq as number, hash: e.hash });
    if (page.length >= ANCHOR_PAGE) {
      yield page;
      page = [];
    }
  }
  if (!read.digest().equals(signed.digest)) {
    throw exportProblem(
      file,
      'it changed while it was checked: the entries read are not the bytes its signature was checked over',
    );
  }
  if (page.length > 0) yield page;
}

/** A failed verification naming `seq` and `kind`, with the exports checked so far. */
function failed(
  verified: AuditVerification & { ok: true },
  exports: AnchorExport[],
  seq: number,
  kind: 'head-mismatch' | 'anchor-differs',
  message: string,
): AnchoredVerification {
  return {
    ok: false,
    entries: verified.entries,
    headSeq: verified.headSeq,
    firstBad: { seq, kind, message },
    exports,
  };
}

/**
 * Checks an intact chain (`verified`, from `verifyAudit`) against each export in `files`, each
 * signed with one of `keys`' trusted keys: the first export entry the chain no longer holds as
 * exported fails the verification, naming it. A chain that does not verify on its own is returned
 * as it is. An export of no entries pins nothing: it is listed with `entries: 0`.
 */
export async function checkAuditAnchors(
  ledger: Pick<Ledger, 'readAudit'>,
  verified: AuditVerification,
  files: readonly string[],
  options: AnchorOptions & { keys: AnchorKeys },
): Promise<AnchoredVerification> {
  if (!verified.ok) return verified;
  const distId = options.distId ?? DEFAULT_DIST_ID;
  const exports: AnchorExport[] = [];
  let chainStart: string | undefined;
  for (const file of files) {
    const { origin: key, signed } = await checkSignature(file, distId, options.keys, options.onHashed);
    const identity: { chainStart?: string } = {};
    let entries = 0;
    // An entry that differs is the chain's only once the file's bytes are known to be the ones
    // signed, which exportPages checks at the file's end: the pages after it are read, not compared.
    // A first page that differed, of an export replaced after its signature was checked, was reported
    // as the chain rewritten, blaming an intact ledger for a file no one signed.
    let found: AnchoredVerification | undefined;
    for await (const page of exportPages(file, identity, signed)) {
      if (found) continue;
      if (entries === 0 && identity.chainStart !== undefined && verified.headSeq > 0) {
        chainStart ??= (await ledger.readAudit({ afterSeq: 0, toSeq: 1, limit: 1 }))[0]?.hash;
        if (chainStart !== undefined && chainStart !== identity.chainStart) {
          found = failed(
            verified,
            exports,
            page[0]?.seq ?? 1,
            'anchor-differs',
            `the export ${file} is an export of another ledger: the chain it was taken from starts with an entry 1 of hash ${identity.chainStart.slice(0, 16)}…, this one with ${chainStart.slice(0, 16)}… (or this chain was rewritten from its first entry on)`,
          );
          continue;
        }
      }
      entries += page.length;
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
          found = failed(
            verified,
            exports,
            verified.headSeq + 1,
            'head-mismatch',
            `the export ${file} holds entry ${e.seq}, the chain ends at ${verified.headSeq}: entries from ${verified.headSeq + 1} on were cut off the end`,
          );
          break;
        }
        if (inChain.get(e.seq) !== e.hash) {
          // An export made before exports named their ledger cannot tell another ledger from a rewrite.
          const unsure =
            identity.chainStart === undefined
              ? ', or the export is of another ledger (it does not record which ledger it was taken from)'
              : '';
          found = failed(
            verified,
            exports,
            e.seq,
            'anchor-differs',
            `entry ${e.seq} is not the one the export ${file} holds (its hash differs): the chain was rewritten from there on${unsure}`,
          );
          break;
        }
      }
      if (!found) options.onCompared?.(file, entries);
    }
    if (found) return found;
    exports.push({ file, entries, key });
  }
  return { ...verified, exports };
}
