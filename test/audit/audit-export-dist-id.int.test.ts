/**
 * The digest an audit export signs is e = SM3(Z ‖ file) with Z over the signer's configured
 * `distId`, for the local key and for a signing server alike: the export verifies with OpenSSL
 * given that distinguishing id, and not with the default one (1234567812345678).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { DigestSigner } from '../../adapters/signers/signer.js';
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
const DIST_ID = '370211-audit';

function verifies(dir: string, out: string, distId: string): boolean {
  return opensslVerify(dir, out, { distId }).status === 0;
}

describe('an audit export is signed under the configured distId', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let sim: SigningServerSimulator;

  beforeAll(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(12);
    sim = await startSigningServerSimulator({ keys: { 'seal-1': { privateKeyPem: pair.privateKeyPem } } });
  });
  afterAll(async () => {
    await sim?.close();
    await chain?.close();
    tmp?.cleanup();
  });

  const kinds: [string, () => DigestSigner][] = [
    ['local-sm2', () => localExportSigner({ key: pair.privateKeyPem, distId: DIST_ID })],
    ['remote', () => remoteExportSigner(sim.url, { distId: DIST_ID, concurrency: 1 })],
  ];

  for (const [label, make] of kinds) {
    it(`${label}: verifies with its distId and not with the default`, async () => {
      const signer = make();
      await signer.open();
      try {
        const out = join(tmp.dir, `${label}.jsonl`);
        const result = await writeAuditExport(chain.ledger, signer, {}, { out, pageSize: 5 });
        expect(result).toMatchObject({ entries: 12, distId: DIST_ID });
        expect(verifies(tmp.dir, out, DIST_ID)).toBe(true);
        expect(verifies(tmp.dir, out, '1234567812345678')).toBe(false);
        const bytes = await readFile(out);
        const sig = await readFile(`${out}.sig`);
        expect(verifySm2Signature(pair.publicKeyPem, bytes, sig, DIST_ID)).toBe(true);
      } finally {
        await signer.close();
      }
    });
  }
});
