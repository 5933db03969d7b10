/**
 * A folder `licbridge seal make` can make a unit's seal in: a seal maker and an issuing unit (keys
 * and certificates, see test/seal/pki.ts), a `catalog` folder, and the seal picture `seal.png`
 * drawn `sealPx` wide. Returns the config that names them: the maker's and the unit's signers and
 * the unit's seal at `./seals/unit.esl`, then the `more` lines given (a `trust:` section).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { party } from '../seal/pki.js';

export function sealMakingFolder(dir: string, sealPx: number, more: readonly string[] = []): string {
  const maker = party(dir, 'maker', 'Seal Maker');
  const holder = party(dir, 'holder', 'Issuing Unit');
  mkdirSync(join(dir, 'catalog'));
  writeFileSync(join(dir, 'seal.png'), drawRoundSeal(sealPx));
  return [
    'ledger: { url: "sqlite://./ledger.db" }',
    'catalog: ./catalog',
    'signers:',
    `  seal-maker: { kind: local-sm2, keyFile: ${maker.keyPath}, certificate: ./maker.cert.pem, sealId: maker, workers: 0 }`,
    `  unit: { kind: local-sm2, keyFile: ${holder.keyPath}, certificate: ./holder.cert.pem, sealId: unit, workers: 0 }`,
    'seals:',
    '  unit-seal: { file: ./seals/unit.esl, signer: unit }',
    ...more,
    '',
  ].join('\n');
}
