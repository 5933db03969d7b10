// `licbridge seal make|show|verify` as a user runs them: a seal made from the config's signers,
// printed, checked against the config's trust (its maker trusted as a seal maker); a damaged seal
// file fails `verify`, and so does a sound one checked without a config (nothing is trusted).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { sealMakingFolder } from '../support/seal-making.js';

describe('licbridge seal make, show, verify', () => {
  let dir: string;
  let cleanup: () => void;
  let configFile: string;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    configFile = join(dir, 'licbridge.yaml');
    writeFileSync(
      configFile,
      sealMakingFolder(dir, 120, [
        'trust:',
        '  seal-office: { sealId: maker, file: ./maker.cert.pem, role: seal-maker }',
      ]),
    );
  });
  afterAll(() => cleanup());

  it('makes, shows and verifies a seal; refuses to overwrite it without --force', async () => {
    const make = await licbridge([
      'seal',
      'make',
      'unit-seal',
      '--maker',
      'seal-maker',
      '--image',
      join(dir, 'seal.png'),
      '--name',
      '测试单位电子证照专用章',
      '--esid',
      '3702110001',
      '-c',
      configFile,
    ]);
    expect(make.stderr).toBe('');
    expect(make.status).toBe(0);
    expect(make.stdout).toMatch(/^seal unit-seal written to .*unit\.esl \(\d+ bytes\): valid /);

    const show = await licbridge(['seal', 'show', 'unit-seal', '--json', '-c', configFile]);
    expect(show.status).toBe(0);
    const d = JSON.parse(show.stdout);
    expect(d).toMatchObject({
      esId: '3702110001',
      name: '测试单位电子证照专用章',
      type: 1,
      picture: { type: 'png', widthMm: 42, heightMm: 42, pixels: '120x120' },
    });
    expect(d.holders[0].subject).toBe('CN=Issuing Unit');
    expect(d.maker.subject).toBe('CN=Seal Maker');

    const verify = await licbridge(['seal', 'verify', join(dir, 'seals', 'unit.esl'), '-c', configFile]);
    expect(verify.stdout).toMatch(/^ok {3}seal 3702110001 /);
    expect(verify.status).toBe(0);
    const untrusted = await licbridge(['seal', 'verify', join(dir, 'seals', 'unit.esl')], {
      cwd: join(dir, 'catalog'),
      env: { LICBRIDGE_CONFIG: '' },
    });
    expect(untrusted.stdout).toContain('FAIL seal 3702110001: untrusted seal maker:');
    expect(untrusted.status).toBe(1);

    const again = await licbridge([
      'seal',
      'make',
      'unit-seal',
      '--maker',
      'seal-maker',
      '--image',
      join(dir, 'seal.png'),
      '--name',
      'x',
      '-c',
      configFile,
    ]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists; pass --force to replace it');

    // One flipped byte in the picture: the maker's signature no longer verifies.
    const bytes = readFileSync(join(dir, 'seals', 'unit.esl'));
    const png = bytes.indexOf(Buffer.from('IDAT', 'latin1'));
    bytes[png + 8] = (bytes[png + 8] as number) ^ 0xff;
    writeFileSync(join(dir, 'damaged.esl'), bytes);
    const bad = await licbridge(['seal', 'verify', join(dir, 'damaged.esl'), '-c', configFile]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("FAIL seal 3702110001: the seal maker's signature does not verify");
  });
});
