/** A maker, a holder and a seal, made fresh for a document test (keys generated here, never kept). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { openedSigner, type Party, party, writeSeal } from '../seal/pki.js';

export interface SealKit {
  maker: Party;
  holder: Party;
  sealFile: string;
  image: Buffer;
  trust: TrustedMaterial[];
  /** A seal signer of the holder over `file`, the kit's seal when not given. */
  sealSigner(file?: string): SealSigner;
  /**
   * A seal of the holder made by the maker, registered at `widthMm` × `heightMm` under `esId`,
   * written to `file`; returns `file`.
   */
  sizedSeal(file: string, widthMm: number, heightMm: number, esId: string): Promise<string>;
  /**
   * A seal of the same holder made by the holder itself (its own key signs SES_SealInfo, its
   * certificate is the maker's), written to `file`; returns `file`.
   */
  selfMadeSeal(file: string): Promise<string>;
}

// The seal picture, the same in every kit: drawn once per test process (unit files share one,
// vitest.config.ts), on globalThis as this module is evaluated afresh for each file.
const IMAGE = Symbol.for('licbridge.test.seal-image');
const drawn = globalThis as { [IMAGE]?: Buffer };

export async function sealKit(dir: string, holderDays = 30): Promise<SealKit> {
  const maker = party(dir, 'maker', 'West Coast Seal Administration');
  const holder = party(dir, 'holder', 'West Coast Market Supervision Bureau', holderDays);
  drawn[IMAGE] ??= drawRoundSeal(240);
  const image = drawn[IMAGE];
  /** The holder's seal, made by `makerSigner`, written to `file`. */
  const sealOf = (makerSigner: LocalSm2Signer, esId: string, file: string, widthMm = 42, heightMm = 42) =>
    writeSeal(file, makerSigner, holder, {
      image,
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      esId,
      type: 2,
      widthMm,
      heightMm,
    });
  const sealFile = await sealOf(
    await openedSigner('maker', maker),
    '37021100000001',
    join(dir, 'district.esl'),
  );
  const trustOf = (p: Party, origin: string): TrustedMaterial => {
    const certificate = parseCertificate(origin, readFileSync(p.certPath, 'utf8'), p.certPath);
    return { publicKeyPem: certificate.publicKeyPem, certificate, origin };
  };
  return {
    maker,
    holder,
    sealFile,
    image,
    trust: [trustOf(maker, 'signer maker'), trustOf(holder, 'signer district')],
    sealSigner: (file = sealFile) =>
      new SealSigner(
        'district-seal',
        { file, signer: 'district', status: 'active' },
        new LocalSm2Signer('district', holder.config),
      ),
    sizedSeal: async (file, widthMm, heightMm, esId) =>
      sealOf(await openedSigner('maker', maker), esId, file, widthMm, heightMm),
    selfMadeSeal: async (file) => {
      const holderAsMaker = new LocalSm2Signer('district', holder.config);
      await holderAsMaker.open();
      return sealOf(holderAsMaker, '37021100000009', file);
    },
  };
}
