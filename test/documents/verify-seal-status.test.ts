// A seal the config marks revoked (art. 18) or lost (art. 19) is reported by `verify --file` and
// `seal verify`, not only refused for new signatures: with its date (`since`), a file it signed
// after that date fails and one signed before passes with a note; with no date, the file fails
// saying the date is unknown.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const DAY = 86_400_000;

describe('verify: a seal revoked or lost since', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let file: string;
  let signedAt: Date;

  /** A config whose seal of the kit has `status` (and `since` when given). */
  function config(name: string, status: string, since?: Date): string {
    const path = join(dir, `${name}.yaml`);
    writeFileSync(
      path,
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        'catalog: ./catalog',
        'signers:',
        `  district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 }`,
        'seals:',
        `  district-seal: { file: ${kit.sealFile}, signer: district, status: ${status}${since ? `, since: "${since.toISOString()}"` : ''} }`,
        'trust:',
        `  seal-office: { sealId: maker, file: ${kit.maker.certPath}, role: seal-maker }`,
        '',
      ].join('\n'),
    );
    return path;
  }

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(join(dir, 'catalog'));
    kit = await sealKit(dir);
    const seal = kit.sealSigner();
    await seal.open();
    const [bytes] = (await issueLicenseFiles(
      [{ license: foodLicense(5), template: foodTemplate }],
      seal,
    )) as [Buffer];
    await seal.close();
    signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    file = join(dir, 'sealed.ofd');
    writeFileSync(file, bytes);
  });
  afterAll(() => cleanup());

  it('fails a file signed after the seal was revoked, naming the status and both times', async () => {
    const since = new Date(signedAt.getTime() - DAY);
    const r = await licbridge([
      'verify',
      '--file',
      file,
      '--json',
      '-c',
      config('revoked-before', 'revoked', since),
    ]);
    expect(r.status).toBe(1);
    const sig = JSON.parse(r.stdout).files[0].result.signatures[0];
    expect(sig.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^seal 37021100000001 \\(district-seal\\) is revoked in the config since ${since.toISOString()}; signed at \\S+, after it$`,
        ),
      ),
    ]);
  });

  it('passes a file signed before the seal was reported lost, with a note in text and JSON', async () => {
    const since = new Date(signedAt.getTime() + DAY);
    const cfg = config('lost-after', 'lost', since);
    const text = await licbridge(['verify', '--file', file, '-c', cfg]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^ok {3}.*sealed\.ofd /m);
    expect(text.stdout).toMatch(
      new RegExp(
        `^note .*sealed\\.ofd Doc_0/Signs/Sign_0/Signature\\.xml: seal 37021100000001 \\(district-seal\\) is lost in the config since ${since.toISOString()}; signed at \\S+, before it \\(the signing time the signature states, the signer's own word\\)$`,
        'm',
      ),
    );
    const json = await licbridge(['verify', '--file', file, '--json', '-c', cfg]);
    const sig = JSON.parse(json.stdout).files[0].result.signatures[0];
    expect(sig.problems).toEqual([]);
    expect(sig.notes).toEqual([expect.stringContaining('is lost in the config since')]);
  });

  it('fails a file of a lost seal when the config gives no date, saying it cannot be told', async () => {
    const r = await licbridge(['verify', '--file', file, '-c', config('lost-undated', 'lost')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'seal 37021100000001 (district-seal) is lost in the config, with no date (`since`): whether it was lost when signed (at ',
    );
  });

  it('an active seal says nothing of status', async () => {
    const r = await licbridge(['verify', '--file', file, '--json', '-c', config('active', 'active')]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).files[0].result.signatures[0].notes).toEqual([]);
  });

  it('seal verify reports the status at the moment checked', async () => {
    const since = new Date(signedAt.getTime() + DAY);
    const cfg = config('revoked-later', 'revoked', since);
    const before = await licbridge(['seal', 'verify', 'district-seal', '-c', cfg]);
    expect(before.status).toBe(0);
    expect(before.stdout).toContain(
      `note seal 37021100000001: seal 37021100000001 (district-seal) is revoked in the config since ${since.toISOString()}; checked at `,
    );
    const at = new Date(since.getTime() + 60_000).toISOString();
    const after = await licbridge(['seal', 'verify', 'district-seal', '--at', at, '-c', cfg]);
    expect(after.status).toBe(1);
    expect(after.stdout).toContain(
      `FAIL seal 37021100000001: seal 37021100000001 (district-seal) is revoked in the config since ${since.toISOString()}; checked at ${at}, after it`,
    );
  });

  it('refuses a seal verify --at without its zone, which the machine would read in its own', async () => {
    // Revoked at 08:00 Beijing time; the operator asks about 07:00 Beijing time, written without a
    // zone: on a machine in UTC that would be read as 15:00 Beijing time, after the revocation.
    const cfg = join(dir, 'revoked-beijing.yaml');
    writeFileSync(
      cfg,
      readFileSync(config('revoked-utc', 'revoked', new Date('2026-03-01T00:00:00Z')), 'utf8').replace(
        '2026-03-01T00:00:00.000Z',
        '2026-03-01T08:00:00+08:00',
      ),
    );
    for (const at of ['2026-03-01T07:00:00', '2026-03-01']) {
      const r = await licbridge(['seal', 'verify', 'district-seal', '--at', at, '-c', cfg]);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `--at takes an ISO time with its zone, such as 2026-03-01T00:00:00+08:00; got \`${at}\``,
      );
    }
    const zoned = await licbridge([
      'seal',
      'verify',
      'district-seal',
      '--at',
      '2026-03-01T07:00:00+08:00',
      '-c',
      cfg,
    ]);
    expect(zoned.stdout).toContain(
      '(district-seal) is revoked in the config since 2026-03-01T00:00:00.000Z; checked at 2026-02-28T23:00:00.000Z, before it',
    );
  });

  it('refuses a `since` that is not a time with its zone, naming the field', async () => {
    const dated = readFileSync(config('dated', 'revoked', new Date(0)), 'utf8');
    const path = join(dir, 'bad-since.yaml');
    writeFileSync(path, dated.replace('1970-01-01T00:00:00.000Z', '2026-03-01'));
    const r = await licbridge(['verify', '--file', file, '-c', path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('seals.district-seal.since');
  });
});
