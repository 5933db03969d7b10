// `seal make` without --force refuses to replace a seal file. It looked for the file before the
// maker signed and wrote it after: a second `seal make` of the same seal started meanwhile (two
// operators, a script run twice) passed the same look and replaced the first one's seal — which
// the first had reported written, and may already have registered or handed out. The name is now
// claimed when the seal is written: of two makes, one writes its seal and the other is refused,
// leaving that seal whole and no temporary file behind.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { makeSealFile, type SealToMake } from '../../pipelines/seals.js';
import { makeTempDir } from '../signers/helpers.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { sealMakingFolder } from '../support/seal-making.js';

describe('seal make without --force never replaces a seal', () => {
  let dir: string;
  let cleanup: () => void;
  let config: Readonly<Config>;

  beforeAll(async () => {
    await usePrebuiltConfigValidator();
    ({ dir, cleanup } = makeTempDir());
    const text = sealMakingFolder(dir, 96);
    mkdirSync(join(dir, 'seals'));
    const file = join(dir, 'licbridge.yaml');
    config = parseConfig(text, { file });
  });
  afterAll(() => cleanup());

  const request = (esId: string, force = false): SealToMake => ({
    maker: 'seal-maker',
    imageFile: join(dir, 'seal.png'),
    name: '测试单位电子证照专用章',
    esId,
    type: 1,
    widthMm: 42,
    heightMm: 42,
    vendorId: 'licbridge',
    force,
    now: new Date(),
  });

  it('of two makes at once, one writes its seal and the other is refused', async () => {
    const results = await Promise.allSettled([
      makeSealFile(config, 'unit-seal', request('3702110001')),
      makeSealFile(config, 'unit-seal', request('3702110002')),
    ]);
    const made = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(made).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(
      /seals\/unit\.esl exists; pass --force to replace it/,
    );
    const written = (made[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof makeSealFile>>>).value;
    expect(Buffer.from(readFileSync(written.file)).equals(Buffer.from(written.seal.der))).toBe(true);
    expect(readdirSync(join(dir, 'seals'))).toEqual(['unit.esl']);

    // --force replaces it, as before.
    const again = await makeSealFile(config, 'unit-seal', request('3702110003', true));
    expect(again.seal.info.esId).toBe('3702110003');
    expect(Buffer.from(readFileSync(again.file)).equals(Buffer.from(again.seal.der))).toBe(true);
    expect(readdirSync(join(dir, 'seals'))).toEqual(['unit.esl']);
  });
});
