// `seal make --type` is the seal type code written in the seal (GB/T 38540 SES_ESPropertyInfo
// type, an INTEGER). `--type ""` made a seal of type 0 and `--type 0x10` one of type 16, each with
// exit 0, and `--type 1e300` was refused as "`type` 1e+300", neither the option nor the value as
// typed. A type not written as a whole number a reader takes is refused naming the option and
// the value, before the maker signs or a file is written.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { unitSealMaker } from './unit-seal-maker.js';

describe('seal make --type', () => {
  const seal = unitSealMaker();
  const { make } = seal;

  it.each(['1e300', '9007199254740992', '', '0x10', '1.0', '-1', 'abc'])(
    'refuses `%s`, naming the option and the value, and writes no seal',
    async (type) => {
      const r = await make(`--type=${type}`);
      expect(r.stderr).toContain('--type');
      expect(r.stderr).toContain(`got \`${type}\``);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(existsSync(seal.sealFile)).toBe(false);
    },
  );

  it('takes a whole number, and the seal reads back with it', async () => {
    const made = await make('--type', '2');
    expect(made.status).toBe(0);
    const show = await licbridge(['seal', 'show', 'unit-seal', '--json', '-c', seal.configFile]);
    expect(JSON.parse(show.stdout)).toMatchObject({ type: 2 });
  });
});
