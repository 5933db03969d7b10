// `verify` trusts a seal's maker only through a `trust` entry with `role: seal-maker` (or no role),
// never because the maker is a configured signer. A config whose seal was made with `seal make
// --maker <signer>` and no trust entry for that maker fails every file the seal sealed; `config
// check` reports it as a problem (exit 2) naming the seal, the maker's certificate and the exact
// entry to add, and that entry, added as written, makes the seal verify.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSeal, encodeSeal } from '../../adapters/signers/ses/seal-format.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';

describe('config check: a seal whose maker verify does not trust', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  /** The maker's certificate as OpenSSL fingerprints it (`AB:CD:…`). */
  let fingerprint: string;
  let serial: string;

  /** A config in `dir` with the holder signer, `extra` lines, and the seal at `sealFile`. */
  function config(name: string, extra: string[], sealFile = kit.sealFile): string {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        'catalog: ./catalog',
        'signers:',
        `  district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 }`,
        ...extra,
        'seals:',
        `  district-seal: { file: ${sealFile}, signer: district }`,
        '',
      ].join('\n'),
    );
    return file;
  }
  /** The maker configured as a signer, as `seal make --maker seal-office` needs it. */
  const makerSigner = () =>
    `  seal-office: { kind: local-sm2, keyFile: ${kit.maker.keyPath}, certificate: ${kit.maker.certPath}, sealId: maker, workers: 0 }`;

  /** The `trust` entry the problem asks for, as written there. */
  function entryAsked(stderr: string): string {
    const m = /add to `trust`: `([^`]+)`/.exec(stderr);
    if (!m?.[1]) throw new Error(`no trust entry named in: ${stderr}`);
    return m[1];
  }

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(join(dir, 'catalog'));
    kit = await sealKit(dir);
    const out = execFileSync(
      'openssl',
      ['x509', '-noout', '-fingerprint', '-sha256', '-serial', '-in', kit.maker.certPath],
      {
        encoding: 'utf8',
      },
    );
    fingerprint = /Fingerprint=([0-9A-F:]+)/i.exec(out)?.[1]?.toUpperCase() ?? '';
    serial = /serial=([0-9A-F]+)/i.exec(out)?.[1]?.toUpperCase() ?? '';
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
  afterAll(() => cleanup());

  it('reports a seal made by a configured signer with no trust entry, and the entry it names makes it verify', async () => {
    const cfg = config('upgraded', [makerSigner()]);
    // The upgrade's premise: the seal no longer verifies with this config.
    const before = await licbridge(['seal', 'verify', kit.sealFile, '-c', cfg]);
    expect(before.status).toBe(1);

    const r = await licbridge(['config', 'check', cfg]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `seals.district-seal: seal district-seal (./district.esl): every file sealed with it fails \`licbridge verify\`: untrusted seal maker: certificate serial ${serial} (CN=West Coast Seal Administration) is trusted only as a signer (signer seal-office), not as a seal maker; maker certificate SHA-256 fingerprint ${fingerprint}; add to \`trust\`: \`seal-office-seal-maker: { sealId: maker, file: ./maker.cert.pem, role: seal-maker }\``,
    );
    expect(r.stderr).toMatch(/upgraded\.yaml:\d+:\d+: seals\.district-seal: /);

    const fixed = config('upgraded-fixed', [makerSigner(), 'trust:', `  ${entryAsked(r.stderr)}`]);
    const ok = await licbridge(['config', 'check', fixed]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const after = await licbridge(['seal', 'verify', kit.sealFile, '-c', fixed]);
    expect(after.stdout).toMatch(/^ok {3}seal 37021100000001 /);
    expect(after.status).toBe(0);
  });

  it('names the file to save when no configured file holds the maker certificate, and a maker trusted only as a signer', async () => {
    const bare = await licbridge(['config', 'check', config('bare', [])]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain(
      '(CN=West Coast Seal Administration) is not in `trust` as a seal maker (role `seal-maker`)',
    );
    expect(bare.stderr).toContain(
      'no configured file holds this certificate: save it (from the seal maker) as ./keys/district-seal-maker.cert.pem and add to `trust`: `district-seal-seal-maker: { sealId: district-seal-maker, file: ./keys/district-seal-maker.cert.pem, role: seal-maker }`',
    );
    mkdirSync(join(dir, 'keys'));
    copyFileSync(kit.maker.certPath, join(dir, 'keys', 'district-seal-maker.cert.pem'));
    const saved = await licbridge([
      'config',
      'check',
      config('bare-fixed', ['trust:', `  ${entryAsked(bare.stderr)}`]),
    ]);
    expect(saved.stderr).toBe('');
    expect(saved.status).toBe(0);

    const asSigner = await licbridge([
      'config',
      'check',
      config('as-signer', [
        'trust:',
        `  seal-office: { sealId: maker, file: ${kit.maker.certPath}, role: signer }`,
      ]),
    ]);
    expect(asSigner.status).toBe(2);
    expect(asSigner.stderr).toContain('is trusted only as a signer (trust seal-office), not as a seal maker');
    expect(entryAsked(asSigner.stderr)).toBe(
      'seal-office-seal-maker: { sealId: maker, file: ./maker.cert.pem, role: seal-maker }',
    );
  });

  it('reports nothing when the maker is trusted as a seal maker, or the seal file is not made yet', async () => {
    for (const trust of [
      `  seal-office: { sealId: maker, file: ${kit.maker.certPath}, role: seal-maker }`,
      `  seal-office: { sealId: maker, file: ${kit.maker.certPath} }`,
    ]) {
      // With and without the maker configured as a signer: its current certificate under its seal id
      // without a role is trusted as a seal maker too.
      for (const signer of [[], [makerSigner()]]) {
        const r = await licbridge(['config', 'check', config('trusted', [...signer, 'trust:', trust])]);
        expect(r.stderr, trust).toBe('');
        expect(r.status).toBe(0);
      }
    }
    const notYet = await licbridge([
      'config',
      'check',
      config('not-yet', [makerSigner()], join(dir, 'none.esl')),
    ]);
    expect(notYet.stderr).toBe('');
    expect(notYet.status).toBe(0);
  });

  it("says a seal its holder made must be made again when its maker certificate is the holder's written with other bytes", async () => {
    // The maker's certificate is outside the maker's signature: the holder's, its outer length
    // written one byte longer (BER, the same certificate to OpenSSL), is the holder still, and no
    // `trust` entry makes such a seal verify.
    const selfMade = decodeSeal(readFileSync(await kit.selfMadeSeal(join(dir, 'self-made-for-ber.esl'))));
    const der = selfMade.makerCertificate;
    const count = (der[1] as number) & 0x7f;
    const longer = Uint8Array.from([0x30, 0x80 | (count + 1), 0, ...der.subarray(2)]);
    const file = join(dir, 'self-made-ber.esl');
    writeFileSync(file, encodeSeal(selfMade.signedBytes, longer, selfMade.signAlgorithm, selfMade.signature));
    const r = await licbridge(['config', 'check', config('self-made-ber', [], file)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('seal district-seal (./self-made-ber.esl): every file sealed with it fails');
    expect(r.stderr).toContain("no `trust` entry makes it verify: make it again with a seal maker's signer");
    expect(r.stderr).not.toContain('add to `trust`');
  });

  it('says a seal its holder made must be made again, and that an unreadable trust leaves the makers unjudged', async () => {
    const selfMade = await kit.selfMadeSeal(join(dir, 'self-made.esl'));
    const r = await licbridge(['config', 'check', config('self-made', [], selfMade)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('seal district-seal (./self-made.esl): every file sealed with it fails');
    expect(r.stderr).toContain(
      "no `trust` entry makes it verify: make it again with a seal maker's signer, `licbridge seal make district-seal --maker <signer> --image <png> --name <name> --force`",
    );
    expect(r.stderr).not.toContain('add to `trust`');

    writeFileSync(join(dir, 'not-pem.txt'), 'not a certificate\n');
    const garbled = await licbridge([
      'config',
      'check',
      config('garbled', ['trust:', `  old: { sealId: old, file: ${join(dir, 'not-pem.txt')} }`]),
    ]);
    expect(garbled.status).toBe(2);
    expect(garbled.stderr).toMatch(
      /seals: cannot tell whether the seals' makers are trusted, as `licbridge verify` cannot: trust: .*not-pem\.txt: no PEM certificate or public key found/,
    );
  });
});
