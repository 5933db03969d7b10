// `seal make` opens the holder's signer, then the maker's. When the maker's could not be opened —
// a mistyped --maker, a key file gone — the holder's was left open: a local signer's threads,
// its private key with them, kept `licbridge seal make` running after it had printed its error.
// Every signer opened is closed again, whatever fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { parseConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { makeSealFile } from '../../pipelines/seals.js';
import { makeTempDir } from '../signers/helpers.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { party } from './pki.js';

describe('seal make closes the signers it opened', () => {
  let dir: string;
  let cleanup: () => void;
  let config: Readonly<Config>;
  const open = new Set<LocalSm2Signer>();

  beforeAll(async () => {
    await usePrebuiltConfigValidator();
    ({ dir, cleanup } = makeTempDir());
    const maker = party(dir, 'maker', 'Seal Maker');
    const holder = party(dir, 'holder', 'Issuing Unit');
    mkdirSync(join(dir, 'catalog'));
    writeFileSync(join(dir, 'seal.png'), drawRoundSeal(96));
    config = parseConfig(
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        'catalog: ./catalog',
        'signers:',
        `  seal-maker: { kind: local-sm2, keyFile: ${join(dir, 'gone.key.pem')}, certificate: ${maker.certPath}, sealId: maker, workers: 0 }`,
        `  unit: { kind: local-sm2, keyFile: ${holder.keyPath}, certificate: ./holder.cert.pem, sealId: unit, workers: 1 }`,
        'seals:',
        '  unit-seal: { file: ./seals/unit.esl, signer: unit }',
        '',
      ].join('\n'),
      { file: join(dir, 'licbridge.yaml') },
    );
    const realOpen = LocalSm2Signer.prototype.open;
    const realClose = LocalSm2Signer.prototype.close;
    vi.spyOn(LocalSm2Signer.prototype, 'open').mockImplementation(async function (this: LocalSm2Signer) {
      await realOpen.call(this);
      open.add(this);
    });
    vi.spyOn(LocalSm2Signer.prototype, 'close').mockImplementation(async function (this: LocalSm2Signer) {
      open.delete(this);
      await realClose.call(this);
    });
  });
  afterEach(() => open.clear());
  afterAll(() => {
    vi.restoreAllMocks();
    cleanup();
  });

  const request = (maker: string) => ({
    maker,
    imageFile: join(dir, 'seal.png'),
    name: '测试单位电子证照专用章',
    esId: '3702110001',
    type: 1,
    widthMm: 42,
    heightMm: 42,
    vendorId: 'licbridge',
    force: false,
    now: new Date(),
  });

  it('a maker that is no signer of the config', async () => {
    await expect(makeSealFile(config, 'unit-seal', request('seal-maker-typo'))).rejects.toThrow(
      /unknown signer `seal-maker-typo`/,
    );
    expect([...open].map((s) => s.name)).toEqual([]);
  });

  it('a maker whose key cannot be read', async () => {
    await expect(makeSealFile(config, 'unit-seal', request('seal-maker'))).rejects.toThrow(/seal-maker/);
    expect([...open].map((s) => s.name)).toEqual([]);
  });
});
