// Seal keys on a signing server: the seal maker's key and the holder's key both stay on the
// (simulated) signing device; licbridge sends digests through the signer contract. The seal it
// makes and the OFD file it seals verify like locally made ones.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import type { RemoteSignerConfig } from '../../adapters/signers/remote/config.js';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { checkSeal } from '../../adapters/signers/ses/check-seal.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import {
  type SigningServerSimulator,
  startSigningServerSimulator,
} from '../../adapters/simulators/signing-server/signing-server-simulator.js';
import { foodLicense, foodTemplate } from '../documents/fixtures.js';
import { makeTempDir } from '../signers/helpers.js';
import { type Party, party } from './pki.js';

describe('seals whose keys stay on a signing server', () => {
  let dir: string;
  let cleanup: () => void;
  let maker: Party;
  let holder: Party;
  let sim: SigningServerSimulator;

  const remote = (label: string): RemoteSignerConfig =>
    ({
      kind: 'remote',
      url: sim.url,
      keyLabel: label,
      sealId: label,
      distId: '1234567812345678',
      auth: { scheme: 'none' },
    }) as RemoteSignerConfig;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    maker = party(dir, 'maker', 'Seal Maker on HSM');
    holder = party(dir, 'holder', 'Issuing Unit on HSM');
    sim = await startSigningServerSimulator({
      keys: {
        maker: {
          privateKeyPem: readFileSync(maker.keyPath, 'utf8'),
          certificatePem: readFileSync(maker.certPath, 'utf8'),
        },
        unit: {
          privateKeyPem: readFileSync(holder.keyPath, 'utf8'),
          certificatePem: readFileSync(holder.certPath, 'utf8'),
        },
      },
    });
  });
  afterAll(async () => {
    await sim.close();
    cleanup();
  });

  it('makes a seal and seals a license file through the remote signer', async () => {
    const makerSigner = new RemoteSigner('maker', remote('maker'));
    await makerSigner.open();
    const seal = await makeSeal({
      maker: makerSigner,
      holderCertificatePem: readFileSync(holder.certPath, 'utf8'),
      image: drawRoundSeal(120),
      name: '远程签名测试专用章',
      esId: 'remote-1',
      type: 1,
      widthMm: 40,
      heightMm: 40,
      vendorId: 'licbridge',
      now: new Date(),
    });
    await makerSigner.close();
    expect(checkSeal(seal, new Date()).problems).toEqual([]);
    writeFileSync(join(dir, 'remote.esl'), seal.der);

    const sealSigner = new SealSigner(
      'remote-seal',
      { file: join(dir, 'remote.esl'), signer: 'unit', status: 'active' },
      new RemoteSigner('unit', remote('unit')),
    );
    await sealSigner.open();
    const [file] = (await issueLicenseFiles(
      [{ license: foodLicense(3), template: foodTemplate }],
      sealSigner,
    )) as [Buffer];
    await sealSigner.close();
    // One signature for the seal, one for the document: both made on the device.
    expect(sim.stats().signed).toBe(2);
    const trust: TrustedMaterial[] = [maker, holder].map((p) => {
      const certificate = parseCertificate('t', readFileSync(p.certPath, 'utf8'), p.certPath);
      return { publicKeyPem: certificate.publicKeyPem, certificate, origin: p.certPath };
    });
    const result = verifyOfd(file, trust);
    expect(result.signatures.flatMap((s) => s.problems)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
