// The SES_Signature's optional timeStamp (GB/T 38540): an RFC 3161 token over the signature
// value, made here by `openssl ts`. A sound token whose authority the operator trusts
// (`trust` role `tsa`) is `verified` and its time attested; a sound one from an authority not
// trusted is `unverified`, said so in a note; a token over another value, or not a token, is
// `invalid` and fails the signature. A revoked seal is judged by the attested time when there is one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import {
  finishSignature,
  prepareSignature,
  SM2_SM3_OID,
} from '../../adapters/documents/ofd/ofd-signature.js';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import { bitString, explicit, sequence } from '../../adapters/signers/ses/der-writer.js';
import { encodeTbsSign, sesSignatureMiddle } from '../../adapters/signers/ses/signature-format.js';
import { applySealStandings } from '../../pipelines/verify/seal-status.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const TSA_CONFIG = `[ tsa ]
default_tsa = tsa1
[ tsa1 ]
serial = ./serial
signer_cert = ./tsa.pem
certs = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.2
digests = sha256, sm3
ess_cert_id_alg = sha256
[ ext ]
extendedKeyUsage = critical,timeStamping
basicConstraints = CA:FALSE
`;

describe('verify: the SES timeStamp', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let tsaRoot: TrustedMaterial;

  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    writeFileSync(join(dir, 'ts.cnf'), TSA_CONFIG);
    writeFileSync(join(dir, 'serial'), '01\n');
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    run([
      'req',
      '-x509',
      '-new',
      ...ec,
      '-keyout',
      'root.key',
      '-subj',
      '/CN=Test TSA Root',
      '-days',
      '30',
      '-out',
      'root.pem',
    ]);
    run(['req', '-new', ...ec, '-keyout', 'tsa.key', '-subj', '/CN=Test TSA', '-out', 'tsa.csr']);
    run([
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      'ts.cnf',
      '-extensions',
      'ext',
      '-out',
      'tsa.pem',
    ]);
    const certificate = parseCertificate('tsa', readFileSync(join(dir, 'root.pem'), 'utf8'), 'root.pem');
    tsaRoot = { publicKeyPem: certificate.publicKeyPem, certificate, origin: 'trust tsa', role: 'tsa' };
  });
  afterAll(() => cleanup());

  /** An RFC 3161 token over `data` (SM3 imprint), from the test TSA. */
  function token(data: Uint8Array): Uint8Array {
    writeFileSync(join(dir, 'data.bin'), data);
    run(['ts', '-query', '-data', 'data.bin', '-sm3', '-cert', '-out', 'q.tsq']);
    run(['ts', '-reply', '-config', 'ts.cnf', '-queryfile', 'q.tsq', '-token_out', '-out', 'tok.der']);
    return readFileSync(join(dir, 'tok.der'));
  }

  /** A sealed file signed at `signedAt`; `stamp` gives its timeStamp from the signature value (none: null). */
  async function sealed(
    stamp: ((signature: Uint8Array) => Uint8Array) | null,
    signedAt = new Date(),
  ): Promise<Buffer> {
    const license = foodLicense(9);
    const info = docInfoFor(license, signedAt);
    const prepared = prepareSignature(
      buildOfd(layoutFace(foodTemplate, license), info),
      info,
      foodTemplate.seal,
      signedAt,
    );
    const tbs = encodeTbsSign({
      sealDer: readFileSync(kit.sealFile),
      signedAt,
      dataHash: prepared.dataHash,
      propertyInfo: prepared.propertyInfo,
    });
    const holder = new LocalSm2Signer('district', kit.holder.config);
    await holder.open();
    const [record] = await holder.sign([tbs]);
    await holder.close();
    const signature = (record as { signature: Uint8Array }).signature;
    const middle = sesSignatureMiddle(certificateDer(readFileSync(kit.holder.certPath, 'utf8')), SM2_SM3_OID);
    const ses =
      stamp === null
        ? sequence(tbs, middle, bitString(signature))
        : sequence(tbs, middle, bitString(signature), explicit(0, bitString(stamp(signature))));
    return finishSignature(prepared, ses);
  }

  it('verifies a token over the signature value from a trusted authority, and gives its time', async () => {
    const before = Date.now() - 2000;
    const result = verifyOfd(await sealed(token), [...kit.trust, tsaRoot]);
    const sig = result.signatures[0];
    expect(sig?.problems).toEqual([]);
    expect(sig?.timeStamp).toBe('verified');
    expect(new Date(sig?.timeStampedAt as string).getTime()).toBeGreaterThanOrEqual(before);
    expect(result.ok).toBe(true);
  });

  it('says a sound token from an authority not trusted is present, not verified', async () => {
    const result = verifyOfd(await sealed(token), kit.trust);
    const sig = result.signatures[0];
    expect(sig?.problems).toEqual([]);
    expect(sig?.timeStamp).toBe('unverified');
    expect(sig?.notes).toEqual([
      expect.stringMatching(
        /^carries a timestamp of \S+, present, not verified: its authority \(CN=Test TSA\) is not a trusted TSA certificate nor issued by one .*; the signing time \S+ is the signer's own statement$/,
      ),
    ]);
    expect(result.ok).toBe(true);
  });

  it('fails a token over another value, and one that is not a token', async () => {
    const other = verifyOfd(await sealed(() => token(Buffer.from('another signature'))), [
      ...kit.trust,
      tsaRoot,
    ]);
    expect(other.signatures[0]?.timeStamp).toBe('invalid');
    expect(other.signatures[0]?.problems).toEqual([
      'the timestamp is not over this signature value (message imprint mismatch)',
    ]);
    expect(other.ok).toBe(false);
    const junk = verifyOfd(await sealed(() => Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01])), kit.trust);
    expect(junk.signatures[0]?.timeStamp).toBe('invalid');
    expect(junk.signatures[0]?.problems.join(' ')).toContain(
      'the timestamp is not an RFC 3161 TimeStampToken',
    );
    expect(junk.ok).toBe(false);
  });

  it('says none for a signature without one', async () => {
    const result = verifyOfd(await sealed(null), kit.trust);
    expect(result.signatures[0]?.timeStamp).toBe('none');
    expect(result.signatures[0]?.notes).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('judges a revoked seal by the attested time: a file dated before the revocation but stamped after it fails', async () => {
    // Dated at the start of the holder's certificate, revoked a second later (a signing time is
    // stated in whole seconds: one in the revocation's second is not before it), stamped now. The
    // authority's time is in whole seconds, so now must be a second past that start: a certificate
    // made by this process (a file run alone) is waited for, at most 1.1 s.
    const notBefore = parseCertificate(
      'holder',
      readFileSync(kit.holder.certPath, 'utf8'),
      'holder',
    ).notBefore;
    const signedAt = notBefore;
    const since = new Date(signedAt.getTime() + 1000);
    const wait = notBefore.getTime() + 1100 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const file = await sealed(token, signedAt);
    const standings = [{ name: 'district-seal', esId: '37021100000001', status: 'revoked' as const, since }];
    const stamped = applySealStandings(verifyOfd(file, [...kit.trust, tsaRoot]), standings);
    expect(stamped.ok).toBe(false);
    expect(stamped.signatures[0]?.problems).toEqual([
      expect.stringMatching(/is revoked in the config since .*; time-stamped at \S+, after it$/),
    ]);
    // Without the authority trusted, only the stated time is known: before, with a note.
    const stated = applySealStandings(verifyOfd(file, kit.trust), standings);
    expect(stated.ok).toBe(true);
    expect(stated.signatures[0]?.notes.join(' ')).toContain(
      "before it (the signing time the signature states, the signer's own word)",
    );
  });

  it('trusts a TSA root named in the config with role tsa (any key type), and prints the state', async () => {
    const file = join(dir, 'stamped.ofd');
    writeFileSync(file, await sealed(token));
    mkdirSync(join(dir, 'catalog'), { recursive: true });
    const config = (withTsa: boolean) => {
      const path = join(dir, `tsa-${withTsa}.yaml`);
      writeFileSync(
        path,
        [
          'ledger: { url: "sqlite://./ledger.db" }',
          'catalog: ./catalog',
          'signers:',
          `  district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 }`,
          'trust:',
          `  seal-office: { sealId: maker, file: ${kit.maker.certPath}, role: seal-maker }`,
          ...(withTsa ? [`  tsa-root: { sealId: tsa, file: ${join(dir, 'root.pem')}, role: tsa }`] : []),
          '',
        ].join('\n'),
      );
      return path;
    };
    const trusted = await licbridge(['verify', '--file', file, '--json', '-c', config(true)]);
    expect(trusted.status, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout).files[0].result.signatures[0]).toMatchObject({
      timeStamp: 'verified',
      problems: [],
    });
    const text = await licbridge(['verify', '--file', file, '-c', config(false)]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /^note .*stamped\.ofd Doc_0\/Signs\/Sign_0\/Signature\.xml: carries a timestamp of \S+, present, not verified: /m,
    );
  });
});
