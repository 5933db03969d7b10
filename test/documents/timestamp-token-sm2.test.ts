// An SES timeStamp from an SM2 time-stamping authority, as Chinese TSAs issue them: the token is
// SM2-signed (GM/T 0010 names the signature SM2-1, 1.2.156.10197.1.301.1; others name it
// SM2-with-SM3, 1.2.156.10197.1.501), the SignedData may carry GM/T 0010's own content type, and
// the TSA's certificate is issued by an SM2 root, signed with the default distinguishing id
// (GM/T 0009). Each such token is sound and, with its root trusted as a TSA, verified.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTimeStamp } from '../../adapters/documents/ofd/timestamp-token.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import {
  concat,
  explicit,
  generalizedTime,
  integer,
  octetString,
  oid,
  sequence,
  tlv,
} from '../../adapters/signers/ses/der-writer.js';
import { makeTempDir } from '../signers/helpers.js';

const SM3 = '1.2.156.10197.1.401';
const SM2_SIGN = '1.2.156.10197.1.301.1';
const SM2_SM3 = '1.2.156.10197.1.501';
const CMS_SIGNED_DATA = '1.2.840.113549.1.7.2';
const GM_SIGNED_DATA = '1.2.156.10197.6.1.4.2.2';
const DIST_ID = 'distid:1234567812345678';

const set = (...items: Uint8Array[]) => tlv(0x31, concat(items));
const sm3 = (data: Uint8Array) => createHash('sm3').update(data).digest();

describe('verify: an SM2 authority’s timestamp', () => {
  let dir: string;
  let cleanup: () => void;
  let tsa: LocalSm2Signer;
  let tsaCert: Uint8Array;
  let rootPem: string;
  // The time stamped: a second after the TSA's certificate starts (whole seconds, as DER has it).
  let genTime: Date;

  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'root.key'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'tsa.key'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    writeFileSync(
      join(dir, 'ext.cnf'),
      '[ ext ]\nextendedKeyUsage = critical,timeStamping\nbasicConstraints = CA:FALSE\n',
    );
    const sm2 = ['-sm3', '-sigopt', DIST_ID];
    run([
      'req',
      '-x509',
      '-new',
      '-key',
      'root.key',
      ...sm2,
      '-subj',
      '/CN=SM2 TSA Root',
      '-days',
      '30',
      '-out',
      'root.pem',
    ]);
    run(['req', '-new', '-key', 'tsa.key', ...sm2, '-subj', '/CN=SM2 TSA', '-out', 'tsa.csr']);
    run([
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-vfyopt',
      DIST_ID,
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-days',
      '30',
      ...sm2,
      '-extfile',
      'ext.cnf',
      '-extensions',
      'ext',
      '-out',
      'tsa.pem',
    ]);
    genTime = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    rootPem = readFileSync(join(dir, 'root.pem'), 'utf8');
    tsaCert = certificateDer(readFileSync(join(dir, 'tsa.pem'), 'utf8'));
    tsa = new LocalSm2Signer('tsa', {
      kind: 'local-sm2',
      keyFile: join(dir, 'tsa.key'),
      certificate: join(dir, 'tsa.pem'),
      sealId: 'tsa',
      distId: '1234567812345678',
      workers: 0,
    });
    await tsa.open();
  });
  afterAll(async () => {
    await tsa.close();
    cleanup();
  });

  /** A TimeStampToken over `data` (SM3 imprint), SM2-signed by the test TSA. */
  async function token(data: Uint8Array, signatureOid: string, contentType: string): Promise<Uint8Array> {
    const tstInfo = sequence(
      integer(1),
      oid('1.2.3.4.1'),
      sequence(sequence(oid(SM3)), octetString(sm3(data))),
      integer(7),
      generalizedTime(genTime),
    );
    const attrs = concat([
      sequence(oid('1.2.840.113549.1.9.3'), set(oid('1.2.840.113549.1.9.16.1.4'))),
      sequence(oid('1.2.840.113549.1.9.4'), set(octetString(sm3(tstInfo)))),
    ]);
    const [record] = await tsa.sign([tlv(0x31, attrs)]);
    const signerInfo = sequence(
      integer(3),
      tlv(0x80, sm3(tsaCert).subarray(0, 20)),
      sequence(oid(SM3)),
      tlv(0xa0, attrs),
      sequence(oid(signatureOid)),
      octetString((record as { signature: Uint8Array }).signature),
    );
    const signedData = sequence(
      integer(3),
      set(sequence(oid(SM3))),
      sequence(oid('1.2.840.113549.1.9.16.1.4'), explicit(0, octetString(tstInfo))),
      tlv(0xa0, tsaCert),
      set(signerInfo),
    );
    return sequence(oid(contentType), explicit(0, signedData));
  }

  const value = Uint8Array.from(Array.from({ length: 71 }, (_, i) => (i * 37) & 0xff));

  it.each([
    ['SM2-1 (GM/T 0010)', SM2_SIGN, CMS_SIGNED_DATA],
    ['SM2-with-SM3', SM2_SM3, CMS_SIGNED_DATA],
    ["SM2-1 in GM/T 0010's SignedData", SM2_SIGN, GM_SIGNED_DATA],
  ])('takes a token signed %s, its SM2 root trusted, as sound and trusted', async (_, alg, type) => {
    const check = checkTimeStamp(await token(value, alg, type), value, [rootPem]);
    expect(check.problems).toEqual([]);
    expect(check.untrusted).toBeNull();
    expect(check.genTime?.toISOString()).toBe(genTime.toISOString());
  });

  it('still refuses such a token over another value, and one whose root is not trusted', async () => {
    const t = await token(value, SM2_SIGN, CMS_SIGNED_DATA);
    const other = checkTimeStamp(t, value.subarray(1), [rootPem]);
    expect(other.problems).toEqual([
      'the timestamp is not over this signature value (message imprint mismatch)',
    ]);
    const stranger = generateSm2KeyPair();
    writeFileSync(join(dir, 'other.key'), stranger.privateKeyPem, { mode: 0o600 });
    run([
      'req',
      '-x509',
      '-new',
      '-key',
      'other.key',
      '-sm3',
      '-sigopt',
      DIST_ID,
      '-subj',
      '/CN=SM2 TSA Root',
      '-days',
      '30',
      '-out',
      'other.pem',
    ]);
    const untrusted = checkTimeStamp(t, value, [readFileSync(join(dir, 'other.pem'), 'utf8')]);
    expect(untrusted.problems).toEqual([]);
    expect(untrusted.untrusted).toMatch(/is not a trusted TSA certificate nor issued by one/);
  });
});
