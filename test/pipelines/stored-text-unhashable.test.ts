/**
 * A stored text that reads as JSON but cannot be hashed — a number past the doubles (`1e999`, read
 * as Infinity, which the canonical form refuses) or values nested deeper than the stack — is a
 * corrupt text like one that does not read: `storedText`, the sign stage's `signable`, the
 * lifecycle tick's `readDueTexts` and the signature check of `licbridge verify` name what is wrong
 * with it. Before, the hash threw outside their guard: `sign files`, `sign backfill`, the sign stage
 * and the tick failed at that version's page on every run, and `verify` stopped at that version.
 * (Reminders and the audit's act check: stored-text-unhashable-reads.int.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { SignatureVerifier } from '../../adapters/signers/verify-signature.js';
import { storedContentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { readDueTexts } from '../../ledger/expiry-stored-text.js';
import { toVersion, type VersionRow } from '../../ledger/rows.js';
import { storedText } from '../../pipelines/reconcile/stored-text.js';
import { signable } from '../../pipelines/stages/sign.js';

const ID = '1.2.156.3005.2.11370200MB1234567X001.11370211MB1234567X.U00000001.001.F';

function version(payload: string) {
  const row: VersionRow = {
    version_id: 1,
    license_id: ID.split('.').slice(0, -2).join('.'),
    version: 1,
    pipeline: 'market-food',
    identifier: ID,
    content_hash: '0'.repeat(64),
    status: 'valid',
    operation: 'create',
    payload,
    lineage: '{"s":"market-food","k":"4","C":"abc","M":"def"}',
    run_id: 'run-1',
    created_at: new Date(0),
  };
  return toVersion(row);
}

const TEXTS: [string, string][] = [
  ['a number past the doubles', '{"number":"JY1","zz":1e999}'],
  ['values nested past the stack', `{"number":"JY1","zz":${'['.repeat(200_000)}${']'.repeat(200_000)}}`],
];

describe('a stored text that reads but cannot be hashed', () => {
  it.each(TEXTS)('with %s is named corrupt by storedText, never thrown', (_, text) => {
    const read = storedText(version(text), true);
    expect(read).toEqual({ problem: expect.stringMatching(/^its stored text does not hash \(\w*Error\)$/) });
  });

  it.each(TEXTS)('with %s is named corrupt by signable, never thrown', (_, text) => {
    const read = signable(version(text));
    expect(read).toEqual({ problem: expect.stringMatching(/^its stored text does not hash \(\w*Error\)$/) });
  });

  it.each(TEXTS)("with %s gives the error's name from storedContentHash, never thrown", (_, text) => {
    expect(storedContentHash(JSON.parse(text) as License)).toEqual({
      cannot: expect.stringMatching(/Error$/),
    });
  });

  it.each(TEXTS)('with %s is a problem of the lifecycle tick, never thrown', (_, text) => {
    const due = readDueTexts({
      content_hash: '0'.repeat(64),
      payload: text,
      lineage: '{"s":"market-food","k":"4","C":"abc","M":"def"}',
      pipeline: 'market-food',
      run_id: 'run-1',
      context_lineage: null,
      context_payload: null,
    });
    expect(due).toEqual({ problem: expect.stringMatching(/^its stored text does not hash \(\w*Error\)$/) });
  });

  // A signature that decodes (DER r = s = 1), as every real one does: the check goes on to the
  // signed bytes, which the content hash's guard does not cover. And an identifier past the doubles,
  // which the content hash leaves out but the signed bytes hold.
  const VERIFIED: [string, string][] = [
    ...TEXTS,
    ['an identifier past the doubles', '{"identifier":1e999,"number":"JY1"}'],
  ];
  it.each(VERIFIED)('with %s fails the signature check with a reason, never thrown', (_, text) => {
    const check = new SignatureVerifier().check(
      JSON.parse(text) as License,
      '0'.repeat(64),
      {
        contentHash: '0'.repeat(64),
        algorithm: '1.2.156.10197.1.501',
        digest: '0'.repeat(64),
        signature: encodeSm2Signature({ r: 1n, s: 1n }),
        distId: '1234567812345678',
        sealId: 'seal',
        certificateSerial: null,
        certificateIssuer: null,
        signedAt: new Date(0),
      },
      [],
    );
    expect(check).toEqual({
      reasons: expect.arrayContaining([
        expect.stringMatching(/^the stored license cannot be (hashed|serialised) \(\w*Error\)$/),
      ]),
      key: null,
    });
  });
});
