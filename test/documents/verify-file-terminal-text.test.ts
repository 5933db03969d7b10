// `verify --file` and `seal show|verify` print what a file says — its part names, its seal's id
// and name, its references — and those files come from anywhere. A terminal obeys escape
// sequences in printed text (retitle the window, move the cursor, hide or forge lines) and bidi
// controls reorder what is read: every such text goes through core/terminal-text.ts, as in every
// other command. Before, a seal named with an OSC sequence and a part named with a CSI sequence
// reached the terminal as they were, and `--json` wrote bidi overrides raw.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import { encodeSeal, encodeSealInfo } from '../../adapters/signers/ses/seal-format.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { SM2_SM3_OID } from '../../adapters/signers/signer.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

// What a terminal must never be handed from a file: ESC, C1 controls, bidi controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE = /[\u001b\u0007\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

// An OSC sequence setting the window title, a right-to-left override, a CSI clearing the screen.
const SEAL_NAME = '专用章\u001b]0;owned\u0007\u202e章用专';
const PART_NAME = 'Doc_0/x\u001b[2J\u009b31m.xml';

describe('text from a sealed file, printed', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let sealFile: string;
  let ofd: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    const maker = new LocalSm2Signer('maker', kit.maker.config);
    await maker.open();
    // Made by another system: `seal make` takes a printable seal id only, IA5String holds ESC too.
    const holder = certificateDer(readFileSync(kit.holder.certPath, 'utf8'));
    const now = new Date();
    const info = encodeSealInfo({
      vendorId: 'other',
      esId: '3702\u001b[1A',
      type: 2,
      name: SEAL_NAME,
      holderCertificates: [holder],
      holderCertificateDigests: [],
      createdAt: now,
      validFrom: now,
      validTo: new Date(now.getTime() + 86_400_000),
      picture: { type: 'png', data: kit.image, widthMm: 42, heightMm: 42 },
      extensions: [],
    });
    const [made] = await maker.sign([info]);
    const makerPem = readFileSync(kit.maker.certPath, 'utf8');
    await maker.close();
    sealFile = join(dir, 'hostile.esl');
    writeFileSync(
      sealFile,
      encodeSeal(info, certificateDer(makerPem), SM2_SM3_OID, (made as { signature: Uint8Array }).signature),
    );
    const signer = new SealSigner(
      'hostile',
      { file: sealFile, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', kit.holder.config),
    );
    await signer.open();
    const [file] = (await issueLicenseFiles(
      [{ license: foodLicense(3), template: foodTemplate }],
      signer,
    )) as [Buffer];
    await signer.close();
    // A part no signature covers, named to move the cursor and recolour.
    const archive = readZip(file);
    const parts = archive.names.map((name) => ({ name, data: Buffer.from(archive.read(name)) }));
    parts.push({ name: PART_NAME, data: Buffer.from('<x/>') });
    ofd = join(dir, 'hostile.ofd');
    writeFileSync(ofd, writeZip(parts, new Date()));
  });
  afterAll(() => cleanup());

  it('verify --file prints no escape sequence or bidi control, in text or JSON', async () => {
    const text = await licbridge(['verify', '--file', ofd], { cwd: dir, env: { LICBRIDGE_CONFIG: '' } });
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('is not covered by any signature');
    expect(text.stdout).toContain('专用章');
    expect(UNSAFE.exec(text.stdout)?.[0]).toBeUndefined();
    const json = await licbridge(['verify', '--file', ofd, '--json'], {
      cwd: dir,
      env: { LICBRIDGE_CONFIG: '' },
    });
    expect(json.status).toBe(1);
    expect(UNSAFE.exec(json.stdout)?.[0]).toBeUndefined();
    // The same report, its values intact once parsed.
    const report = JSON.parse(json.stdout);
    expect(report.files[0].result.signatures[0].sealName).toBe(SEAL_NAME);
  });

  it('seal show and seal verify print none either', async () => {
    const show = await licbridge(['seal', 'show', sealFile], { cwd: dir, env: { LICBRIDGE_CONFIG: '' } });
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('专用章');
    expect(UNSAFE.exec(show.stdout)?.[0]).toBeUndefined();
    const json = await licbridge(['seal', 'show', sealFile, '--json'], {
      cwd: dir,
      env: { LICBRIDGE_CONFIG: '' },
    });
    expect(UNSAFE.exec(json.stdout)?.[0]).toBeUndefined();
    expect(JSON.parse(json.stdout).name).toBe(SEAL_NAME);
    const verify = await licbridge(['seal', 'verify', sealFile], { cwd: dir, env: { LICBRIDGE_CONFIG: '' } });
    expect(verify.status).toBe(1);
    expect(verify.stdout).toContain('FAIL seal 3702');
    expect(UNSAFE.exec(verify.stdout)?.[0]).toBeUndefined();
  });
});
