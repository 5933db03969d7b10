// `licbridge verify --file` on sealed OFD license files: valid with the config's trust, failing
// (exit 1, the part named) when a signed part changed, and untrusted without the config.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

describe('licbridge verify --file', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let configFile: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    const seal = kit.sealSigner();
    await seal.open();
    const [good] = (await issueLicenseFiles([{ license: foodLicense(7), template: foodTemplate }], seal)) as [
      Buffer,
    ];
    await seal.close();
    writeFileSync(join(dir, 'good.ofd'), good);
    const archive = readZip(good);
    const parts = archive.names.map((name) => ({ name, data: Buffer.from(archive.read(name)) }));
    const page = parts.find((p) => p.name === 'Doc_0/Pages/Page_0/Content.xml') as { data: Buffer };
    // The holder's name on the face, one character changed (第7分店 → 第8分店).
    const at = page.data.indexOf(Buffer.from('第7分店', 'utf8'));
    page.data[at + 3] = 0x38;
    writeFileSync(join(dir, 'changed.ofd'), writeZip(parts, new Date()));
    mkdirSync(join(dir, 'catalog'));
    configFile = join(dir, 'licbridge.yaml');
    writeFileSync(
      configFile,
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        'catalog: ./catalog',
        'signers:',
        `  district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 }`,
        'trust:',
        `  seal-maker: { sealId: maker, file: ${kit.maker.certPath} }`,
        '',
      ].join('\n'),
    );
  });
  afterAll(() => cleanup());

  it('passes a good file and fails a changed one, naming the part', async () => {
    const good = await licbridge(['verify', '--file', join(dir, 'good.ofd'), '-c', configFile]);
    expect(good.stderr).toBe('');
    expect(good.stdout).toMatch(
      /^ok {3}.*good\.ofd Doc_0\/Signs\/Sign_0\/Signature\.xml: seal 37021100000001 "青岛西海岸新区市场监督管理局电子证照专用章", signer serial [0-9A-F]+, signed \S+, 5 reference\(s\) match$/m,
    );
    expect(good.status).toBe(0);

    const changed = await licbridge([
      'verify',
      '--file',
      join(dir, 'good.ofd'),
      join(dir, 'changed.ofd'),
      '-c',
      configFile,
    ]);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain(
      'reference Doc_0/Pages/Page_0/Content.xml: SM3 mismatch (the part changed after signing)',
    );
    expect(changed.stdout).toMatch(/verify: 2 file\(s\): 1 failed\n$/);
  });

  it('without a config trusts nobody and says whose certificate it would need', async () => {
    // A folder without a licbridge.yaml: no config is found.
    const r = await licbridge(['verify', '--file', join(dir, 'good.ofd'), '--json'], {
      cwd: join(dir, 'catalog'),
      env: { LICBRIDGE_CONFIG: '' },
    });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.files[0].result.signatures[0].problems).toEqual([
      expect.stringMatching(
        /^untrusted signer: certificate serial [0-9A-F]+ \(CN=West Coast Market Supervision Bureau\)/,
      ),
      expect.stringMatching(
        /^untrusted seal maker: certificate serial [0-9A-F]+ \(CN=West Coast Seal Administration\)/,
      ),
    ]);
  });
});
