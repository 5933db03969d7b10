// A seal is made by a seal maker, never by its holder (GB/T 38540): a license file sealed with a
// seal its holder made with its own key fails `verify --file` and `seal verify`, though the
// holder's certificate is trusted (as a signer). The maker is trusted as a seal maker through a
// `trust` entry with `role: seal-maker`, or one without a role (configs written before roles);
// a maker trusted only as a signer (`role: signer`) makes no proper seal.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { party } from '../seal/pki.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

describe('seal maker and signer trust kept apart', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let selfMadeSeal: string;

  /** A config trusting the holder as a signer, and the maker with `makerTrust` after its file (null: not at all). */
  function config(name: string, makerTrust: string | null): string {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        'catalog: ./catalog',
        'signers:',
        `  district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 }`,
        ...(makerTrust === null
          ? []
          : ['trust:', `  seal-office: { sealId: maker, file: ${kit.maker.certPath}${makerTrust} }`]),
        '',
      ].join('\n'),
    );
    return file;
  }

  async function sealedFile(name: string, sealFile: string): Promise<string> {
    const seal = new SealSigner(
      'district-seal',
      { file: sealFile, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', kit.holder.config),
    );
    await seal.open();
    const [bytes] = (await issueLicenseFiles(
      [{ license: foodLicense(3), template: foodTemplate }],
      seal,
    )) as [Buffer];
    await seal.close();
    const path = join(dir, `${name}.ofd`);
    writeFileSync(path, bytes);
    return path;
  }

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'catalog'));
    kit = await sealKit(dir);
    // The holder makes its own seal: its own key signs SES_SealInfo, its certificate is the maker's.
    selfMadeSeal = await kit.selfMadeSeal(join(dir, 'self-made.esl'));
  });
  afterAll(() => cleanup());

  it('fails a file sealed with a seal its holder made, naming the maker as trusted only as a signer', async () => {
    const file = await sealedFile('self-made', selfMadeSeal);
    const r = await licbridge([
      'verify',
      '--file',
      file,
      '--json',
      '-c',
      config('roles', ', role: seal-maker'),
    ]);
    expect(r.status).toBe(1);
    const problems: string[] = JSON.parse(r.stdout).files[0].result.signatures[0].problems;
    expect(problems).toEqual([
      expect.stringMatching(
        /^untrusted seal maker: certificate serial [0-9A-F]+ \(CN=West Coast Market Supervision Bureau\) is trusted only as a signer \(signer district\), not as a seal maker; a seal its holder made itself is not a properly made seal$/,
      ),
    ]);
    const seal = await licbridge([
      'seal',
      'verify',
      selfMadeSeal,
      '-c',
      config('roles', ', role: seal-maker'),
    ]);
    expect(seal.status).toBe(1);
    expect(seal.stdout).toContain('FAIL seal 37021100000009: untrusted seal maker:');
    expect(seal.stdout).toContain('is trusted only as a signer (signer district)');
  });

  it('passes a seal made by a maker trusted as a seal maker, or by a trust entry without a role', async () => {
    const file = await sealedFile('proper', kit.sealFile);
    for (const makerTrust of [', role: seal-maker', '']) {
      const cfg = config(`maker${makerTrust === '' ? '-any' : ''}`, makerTrust);
      const r = await licbridge(['verify', '--file', file, '-c', cfg]);
      expect(r.stdout, makerTrust).toMatch(/^ok {3}.*proper\.ofd /m);
      expect(r.status).toBe(0);
      const seal = await licbridge(['seal', 'verify', kit.sealFile, '-c', cfg]);
      expect(seal.stdout).toMatch(/^ok {3}seal 37021100000001 /);
      expect(seal.status).toBe(0);
    }
  });

  it('fails a seal whose maker is trusted only as a signer, and one whose maker is not trusted at all', async () => {
    const file = await sealedFile('proper-2', kit.sealFile);
    const asSigner = await licbridge([
      'verify',
      '--file',
      file,
      '--json',
      '-c',
      config('signer-role', ', role: signer'),
    ]);
    expect(asSigner.status).toBe(1);
    expect(JSON.parse(asSigner.stdout).files[0].result.signatures[0].problems).toEqual([
      expect.stringMatching(
        /^untrusted seal maker: certificate serial [0-9A-F]+ \(CN=West Coast Seal Administration\) is trusted only as a signer \(trust seal-office\)/,
      ),
    ]);
    const none = await licbridge(['seal', 'verify', kit.sealFile, '-c', config('no-maker', null)]);
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(
      /^FAIL seal 37021100000001: untrusted seal maker: certificate serial [0-9A-F]+ \(CN=West Coast Seal Administration\) is not in `trust` as a seal maker/m,
    );
  });

  it('passes a seal whose maker is a configured signer (seal make --maker) listed in trust under its own seal id without a role', async () => {
    // The setup the seal docs describe: the maker is a signer of the config, so `seal make --maker`
    // can sign seals with it, and its certificate is in `trust` under its seal id — here without
    // `role`, as written before roles existed. That certificate is the signer's current one, no
    // retired key: the entry trusts it as a seal maker.
    const file = await sealedFile('maker-signer', kit.sealFile);
    const cfg = join(dir, 'maker-signer.yaml');
    writeFileSync(
      cfg,
      readFileSync(config('maker-signer-base', ''), 'utf8').replace(
        'trust:\n',
        `  seal-office-signer: { kind: local-sm2, keyFile: ${kit.maker.keyPath}, certificate: ${kit.maker.certPath}, sealId: maker, workers: 0 }\ntrust:\n`,
      ),
    );
    const r = await licbridge(['verify', '--file', file, '-c', cfg]);
    expect(r.stdout).toMatch(/^ok {3}.*maker-signer\.ofd /m);
    expect(r.status).toBe(0);
    const seal = await licbridge(['seal', 'verify', kit.sealFile, '-c', cfg]);
    expect(seal.stdout).toMatch(/^ok {3}seal 37021100000001 /);
    expect(seal.status).toBe(0);
  });

  it('fails a seal its holder made even when the holder is also trusted as a seal maker', async () => {
    // The holder's certificate in `trust` under its own seal id (no role: a maker, as seal make
    // --maker has it) or with `role: seal-maker`: the seal still lists its maker as its holder.
    const file = await sealedFile('self-made-trusted', selfMadeSeal);
    for (const role of ['', ', role: seal-maker']) {
      const cfg = join(dir, `holder-as-maker${role === '' ? '' : '-role'}.yaml`);
      writeFileSync(
        cfg,
        readFileSync(config('holder-as-maker-base', null), 'utf8') +
          `trust:\n  district-again: { sealId: district, file: ${kit.holder.certPath}${role} }\n`,
      );
      const r = await licbridge(['verify', '--file', file, '--json', '-c', cfg]);
      expect(r.status, role).toBe(1);
      expect(JSON.parse(r.stdout).files[0].result.signatures[0].problems).toEqual([
        expect.stringMatching(
          /^self-made seal: its maker's certificate serial [0-9A-F]+ \(CN=West Coast Market Supervision Bureau\) is one it lists as its holder's; a seal its holder made itself is not a properly made seal$/,
        ),
      ]);
      const seal = await licbridge(['seal', 'verify', selfMadeSeal, '-c', cfg]);
      expect(seal.status).toBe(1);
      expect(seal.stdout).toContain('FAIL seal 37021100000009: self-made seal:');
    }
  });

  it('names a maker trusted only as a signer without calling its seal self-made when it is not', async () => {
    const file = await sealedFile('proper-3', kit.sealFile);
    const r = await licbridge([
      'verify',
      '--file',
      file,
      '--json',
      '-c',
      config('signer-role-2', ', role: signer'),
    ]);
    const [problem] = JSON.parse(r.stdout).files[0].result.signatures[0].problems as string[];
    expect(problem).toMatch(/is trusted only as a signer \(trust seal-office\), not as a seal maker$/);
  });

  it("does not take a retired key of a configured seal (a trust entry under the signer's seal id, no role) for a seal maker", async () => {
    // A key the holder retired makes a seal for the holder's current certificate.
    const retired = party(dir, 'retired', 'West Coast Market Supervision Bureau (2025 key)');
    const maker = new LocalSm2Signer('retired', retired.config);
    await maker.open();
    const seal = await makeSeal({
      maker,
      holderCertificatePem: readFileSync(kit.holder.certPath, 'utf8'),
      image: kit.image,
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      esId: '37021100000010',
      type: 2,
      widthMm: 42,
      heightMm: 42,
      vendorId: 'licbridge',
      now: new Date(),
    });
    await maker.close();
    const sealFile = join(dir, 'retired-made.esl');
    writeFileSync(sealFile, seal.der);
    const file = await sealedFile('retired-made', sealFile);
    const cfg = join(dir, 'retired.yaml');
    writeFileSync(
      cfg,
      readFileSync(config('retired-base', ', role: seal-maker'), 'utf8').replace(
        'trust:\n',
        `trust:\n  district-2025: { sealId: district, file: ${retired.certPath} }\n`,
      ),
    );
    const r = await licbridge(['verify', '--file', file, '--json', '-c', cfg]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).files[0].result.signatures[0].problems).toEqual([
      expect.stringMatching(/^untrusted seal maker: .* is trusted only as a signer \(trust district-2025\)/),
    ]);
  });
});
