// A seal larger than its template's seal box is drawn at its own size centred on the box
// (seal-stamp-size): near the page's edge it reached past the page, and the sealed license showed
// the seal cut off. A legal seal is never printed smaller, nor moved from where the template puts
// it unseen: `sign files` (and `sign backfill --files`) refuse such a seal when they open it, before
// the first file, `render --seal` refuses to draw it, and the file writer itself refuses the batch
// before signing, each naming the seal, its size, the template, the box and the page.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { stampFitProblem } from '../../adapters/documents/ofd/stamp-fit.js';
import { parseConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLicenseFileIssuer } from '../../pipelines/issue-license-files.js';
import { renderRequested } from '../../pipelines/render-face.js';
import { makeTempDir } from '../signers/helpers.js';
import { ROOT } from '../support/cli.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { foodLicense, foodTemplate, signFilesConfig } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

await usePrebuiltConfigValidator();

const FOOD_FILE = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');
const TEMPLATE = `license type 11370200MB12345674001 (食品经营许可证, ${FOOD_FILE})`;

/** What each refusal says after its prefix, for a seal of `size` mm on the demo's template. */
const pastBottom = (size: number, template: string, by: number) =>
  `seal district-seal prints ${size} × ${size} mm; centred on the seal box of the face template of ${template} (face.seal: 200, 140, 42 × 42 mm) it would reach ${by} mm past the bottom edge of the 297 × 210 mm page. A seal is printed at its own size, never smaller: move the template's seal box that far in from the edge (or give it the seal's size where it fits), or use a seal that fits`;

describe('a seal whose stamp would reach past the page', () => {
  it('is measured at its own size, centred on the box, to the edge exactly', () => {
    // The demo's box: 200, 140, 42 × 42 mm on a 297 × 210 mm page, its centre 221, 161. A seal of
    // 98 mm ends on the bottom edge (161 + 49 = 210); one of 100 mm 1 mm past it.
    const seal = (mm: number) => ({ name: 'district-seal', widthMm: mm, heightMm: mm });
    expect(stampFitProblem(seal(42), foodTemplate, 'T')).toBeNull();
    expect(stampFitProblem(seal(98), foodTemplate, 'T')).toBeNull();
    expect(stampFitProblem(seal(100), foodTemplate, 'T')).toBe(pastBottom(100, 'T', 1));
    // A seal stating no size fills the box, which the catalog keeps on the page.
    expect(stampFitProblem(seal(0), foodTemplate, 'T')).toBeNull();
    // Near the top-left corner: past two edges, each named with its distance.
    const corner = { ...foodTemplate, seal: { x: 0, y: 2, width: 42, height: 42 } };
    expect(stampFitProblem(seal(50), corner, 'T')).toContain(
      'it would reach 4 mm past the left edge and 2 mm past the top edge of the 297 × 210 mm page',
    );
  });

  describe('with a seal made at 100 × 100 mm', () => {
    let dir: string;
    let cleanup: () => void;
    let kit: SealKit;
    let bigSeal: string;

    beforeAll(async () => {
      ({ dir, cleanup } = makeTempDir());
      kit = await sealKit(dir);
      bigSeal = await kit.sizedSeal(join(dir, 'big.esl'), 100, 100, '37021100000100');
    });
    afterAll(() => cleanup());

    const config = () => {
      const file = join(dir, 'licbridge.yaml');
      const text = signFilesConfig(
        { ...kit, sealFile: bigSeal },
        { ledgerUrl: 'sqlite://./l.db', pipeline: 'food' },
      );
      writeFileSync(file, text);
      return parseConfig(text, { file });
    };

    it('is refused by sign files and sign backfill --files when they open the seal', async () => {
      await expect(openLicenseFileIssuer(config(), 'district-seal')).rejects.toThrow(
        `sign files: ${pastBottom(100, TEMPLATE, 1)}`,
      );
      await expect(openLicenseFileIssuer(config(), 'district-seal', 'sign backfill', 'food')).rejects.toThrow(
        `sign backfill: ${pastBottom(100, TEMPLATE, 1)}`,
      );
    });

    it('is refused by render --seal', async () => {
      const request = { sample: '11370200MB12345674001', seal: 'district-seal', today: '2026-12-03' };
      await expect(renderRequested(config(), request, createLogger({ level: 'silent' }))).rejects.toThrow(
        `render: ${pastBottom(100, TEMPLATE, 1)}`,
      );
    });

    it('is refused by the file writer before anything is signed', async () => {
      let signed = 0;
      const seal = kit.sealSigner(bigSeal);
      await seal.open();
      const sign = seal.sign.bind(seal);
      seal.sign = (...args: Parameters<typeof sign>) => {
        signed++;
        return sign(...args);
      };
      try {
        await expect(
          issueLicenseFiles([{ license: foodLicense(), template: foodTemplate }], seal),
        ).rejects.toThrow(
          `license file: ${pastBottom(100, 'license type 11370200MB12345674001 (食品经营许可证)', 1)}`,
        );
        expect(signed).toBe(0);
      } finally {
        await seal.close();
      }
    });
  });
});
