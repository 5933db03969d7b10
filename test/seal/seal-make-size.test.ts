// `seal make --size` is the printed size of the seal (GB/T 38540 picture width and height, mm),
// at which every sealed license file stamps it. A size no seal has — zero, negative, not a number,
// a size past any page — is refused naming the option and the value, before the maker signs or
// the seal file is written: `--size 0x0` made a seal whose stamp fills whatever box a template
// gives it, and `999x999` one no page holds.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { unitSealMaker } from './unit-seal-maker.js';

describe('seal make --size', () => {
  const seal = unitSealMaker();
  const { make } = seal;

  const nonsense = [
    '0x0',
    '0x42',
    '42x0',
    '-5x42',
    '42x-5',
    'axb',
    'bigxbig',
    '42',
    '42x',
    'x42',
    '42*42',
    '42 x 42',
    '42.5x42',
    '1e2x42',
    '9x42',
    '42x101',
    '999x999',
    '100000x100000',
    '',
  ];

  it.each(nonsense)('refuses `%s`, naming the option and the value, and writes no seal', async (size) => {
    const r = await make(`--size=${size}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`seal make: --size takes WIDTHxHEIGHT in whole millimetres from 10 to 100`);
    expect(r.stderr).toContain(`got \`${size}\``);
    expect(r.stdout).toBe('');
    expect(existsSync(seal.sealFile)).toBe(false);
  });

  it('takes the bounds, and a refused size with --force leaves the seal made as it was', async () => {
    const made = await make('--size', '10x100');
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const show = await licbridge(['seal', 'show', 'unit-seal', '--json', '-c', seal.configFile]);
    expect(JSON.parse(show.stdout)).toMatchObject({ picture: { widthMm: 10, heightMm: 100 } });
    const before = readFileSync(seal.sealFile);
    const refused = await make('--size', '0x0', '--force');
    expect(refused.status).toBe(2);
    expect(readFileSync(seal.sealFile).equals(before)).toBe(true);
  });
});
