/**
 * An entry may hold characters that make its line read otherwise than its bytes: an actor an
 * earlier release stored as set (`LICBRIDGE_ACTOR` with a bidi override), a license id from a
 * source. JSON.stringify escapes only C0, so bidi controls, C1 controls and U+2028/U+2029 went
 * into the export file as they were. They are written as `\uXXXX`: the file holds none of them,
 * its lines parse back to the entries the chain holds, each hashes to its `hash`, and the
 * signature verifies with OpenSSL as docs/audit.md shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { auditHash } from '../../ledger/audit-chain.js';
import type { AuditEntry } from '../../ledger/audit-types.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { type ChainLedger, chainLedger, rehashChain } from './audit-chain-fixture.js';
import { opensslVerify } from './export-openssl.js';
import { exportSigner } from './export-workspace.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
const OBEYED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const ACTOR = 'operator:clerk-9\u202eevil\u2066\u009b2K\u2028forged\u001b[1A';
const LICENSE = 'JY1\u200f3702\u2029';

let chain: ChainLedger;
let tmp: ReturnType<typeof makeTempDir>;
let signer: LocalSm2Signer;

beforeEach(async () => {
  tmp = makeTempDir();
  chain = await chainLedger(6);
  // As an earlier release wrote them: entry 3's actor and license id, the chain hashed as written.
  const db = new Database(chain.database.url.slice('sqlite://'.length));
  try {
    db.prepare('update audit_log set actor = ?, license_id = ? where seq = 3').run(ACTOR, LICENSE);
    rehashChain(db);
  } finally {
    db.close();
  }
  signer = await exportSigner();
});
afterEach(async () => {
  await signer?.close();
  await chain?.close();
  tmp?.cleanup();
});

it('writes bidi, C1 and separator characters as escapes; the entries, hashes and signature check', async () => {
  expect((await chain.ledger.verifyAudit()).ok).toBe(true);
  const out = join(tmp.dir, 'escaped.jsonl');
  const made = await writeAuditExport(chain.ledger, signer, {}, { out, pageSize: 4 });
  expect(made.entries).toBe(6);

  const text = readFileSync(out, 'utf8');
  expect(text).not.toMatch(OBEYED);
  expect(text).toContain('\\u202e');
  const lines = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditEntry);
  expect(lines).toEqual(await chain.ledger.readAudit({ limit: 100 }));
  expect(lines[2]).toMatchObject({ actor: ACTOR, licenseId: LICENSE });
  for (const e of lines)
    expect(auditHash({ ...e, license_id: e.licenseId, prev_hash: e.prevHash })).toBe(e.hash);

  const verified = opensslVerify(tmp.dir, out);
  expect(verified.output).toContain('Signature Verified Successfully');
});
