/**
 * Every built-in signer signs a streamed audit export through its digest path: the local key in
 * process and in its worker pool, and a signing server (which is sent only the digest). The export
 * verifies with OpenSSL over the file, as docs/audit.md tells an auditor.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { type DigestSigner, isDigestSigner } from '../../adapters/signers/signer.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { type ChainLedger, chainLedger } from './audit-chain-fixture.js';
import { opensslVerify } from './export-openssl.js';
import { localExportSigner, remoteExportSigner } from './export-workspace.js';

const pair = generateSm2KeyPair();
const DIST_ID = '1234567812345678';

describe('a streamed audit export is signed by every signer kind', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let sim: SigningServerSimulator;

  beforeAll(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(40);
    sim = await startSigningServerSimulator({ keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } } });
  });
  afterAll(async () => {
    await sim?.close();
    await chain?.close();
    tmp?.cleanup();
  });

  const local = (workers: number) => localExportSigner({ key: pair.privateKeyPem, distId: DIST_ID, workers });
  const remote = () => remoteExportSigner(sim.url, { distId: DIST_ID, concurrency: 2 });
  const kinds: [string, () => DigestSigner][] = [
    ['local-sm2 in process', () => local(0)],
    ['local-sm2 in a worker pool', () => local(2)],
    ['remote', remote],
  ];

  for (const [label, make] of kinds) {
    it(`${label}: the export verifies with OpenSSL; the record's digest is SM3(Z ‖ file)`, async () => {
      const signer = make();
      expect(isDigestSigner(signer)).toBe(true);
      await signer.open();
      try {
        const out = join(tmp.dir, `${label.replaceAll(' ', '-')}.jsonl`);
        const result = await writeAuditExport(chain.ledger, signer, {}, { out, pageSize: 7 });
        expect(result).toMatchObject({ entries: 40, distId: DIST_ID });
        const bytes = await readFile(out);
        const sig = await readFile(`${out}.sig`);
        expect(verifySm2Signature(pair.publicKeyPem, bytes, sig)).toBe(true);
        const check = opensslVerify(tmp.dir, out, { distId: DIST_ID });
        expect(check.status, check.output).toBe(0);
        // The same e a signature of the whole file records.
        const [whole] = await signer.sign([bytes]);
        const e = createHash('sm3').update(signer.z()).update(bytes).digest('hex');
        expect(whole?.digest).toBe(e);
        const [byDigest] = await signer.signDigests([Buffer.from(e, 'hex')]);
        expect(byDigest?.digest).toBe(e);
        expect(verifySm2Signature(pair.publicKeyPem, bytes, byDigest?.signature ?? new Uint8Array())).toBe(
          true,
        );
      } finally {
        await signer.close();
      }
    });

    it(`${label}: a digest that is not 32 bytes is refused, naming the signer`, async () => {
      const signer = make();
      await signer.open();
      try {
        await expect(signer.signDigests([new Uint8Array(31)])).rejects.toThrow(
          `signer ${signer.name}: digest 0 is 31 bytes, expected 32 (SM3)`,
        );
      } finally {
        await signer.close();
      }
    });
  }

  it('refuses to sign a digest before open()', async () => {
    await expect(local(0).signDigests([new Uint8Array(32)])).rejects.toThrow('before open()');
    expect(() => remote().z()).toThrow('before open()');
  });
});
