// A signature states its signing time in whole seconds (GB/T 38540 timeInfo, GeneralizedTime as
// written here): `10:00:00Z` is any moment of that second. A `since` with milliseconds was compared
// with it as the second's start, so a file signed 0.7 s after the seal was revoked at 10:00:00.300
// read `signed at 10:00:00.000Z, before it` and passed. A signature in the revocation's second
// cannot be told to lie before it, and now fails; one a second earlier still passes with its note.
import { describe, expect, it } from 'vitest';
import type { OfdVerifyResult } from '../../adapters/documents/ofd/ofd-verify.js';
import { applySealStandings, standingVerdict } from '../../pipelines/verify/seal-status.js';

const ES_ID = '37021100000001';
const since = new Date('2026-03-01T02:00:00.300Z');
const standings = [{ name: 'district-seal', esId: ES_ID, status: 'revoked' as const, since }];

/** A sound file with one signature of the seal, signed at `signedAt` (whole seconds, as stated). */
function signedFile(signedAt: string): OfdVerifyResult {
  return {
    ok: true,
    problems: [],
    signatures: [
      {
        path: 'Doc_0/Signs/Sign_0/Signature.xml',
        sealId: ES_ID,
        sealName: 'district',
        signerSerial: '01',
        signedAt,
        references: 5,
        problems: [],
        notes: [],
        timeStamp: 'none',
        timeStampedAt: null,
      },
    ],
  };
}

describe('a revocation with milliseconds and a signing time in whole seconds', () => {
  it('fails a signature stated in the second the seal was revoked', () => {
    const result = applySealStandings(signedFile('2026-03-01T02:00:00.000Z'), standings);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([
      `seal ${ES_ID} (district-seal) is revoked in the config since 2026-03-01T02:00:00.300Z; signed at 2026-03-01T02:00:00.000Z, after it`,
    ]);
    expect(result.signatures[0]?.notes).toEqual([]);
  });

  it('passes one stated in the second before, with its note', () => {
    const result = applySealStandings(signedFile('2026-03-01T01:59:59.000Z'), standings);
    expect(result.ok).toBe(true);
    expect(result.signatures[0]?.notes).toEqual([
      `seal ${ES_ID} (district-seal) is revoked in the config since 2026-03-01T02:00:00.300Z; signed at 2026-03-01T01:59:59.000Z, before it (the signing time the signature states, the signer's own word)`,
    ]);
  });

  it('fails one in the next second, as before', () => {
    expect(applySealStandings(signedFile('2026-03-01T02:00:01.000Z'), standings).ok).toBe(false);
  });

  it('judges a seal checked in the second of its revocation (seal verify --at) the same way', () => {
    expect(
      standingVerdict(ES_ID, new Date('2026-03-01T02:00:00Z'), standings, 'checked').problems,
    ).toHaveLength(1);
    expect(standingVerdict(ES_ID, new Date('2026-03-01T01:59:59Z'), standings, 'checked').problems).toEqual(
      [],
    );
  });
});
