// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is the config's reference syntax.
/**
 * A `tls.ca` bundle none of whose certificates is valid now (each expired, or not begun) makes
 * every connection using it fail, yet `config check` said `ok` and nothing more: only `licbridge
 * status` named it. `config check` now warns of it in status's words (tls-attention.ts), and says
 * nothing of a bundle another CA of which is in force. Its TLS warnings, which carry a certificate's
 * subject, reach the terminal through terminalSafe: a subject's C1 CSI or bidi control is dropped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { datedCa } from '../tls/dated-ca.js';

describe('config check: a `tls.ca` bundle with no certificate in force', { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let expired: string;
  let future: string;
  let current: string;

  function config(name: string, bundle: string): string {
    writeFileSync(join(dir, `${name}.pem`), bundle);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        'ledger: { url: "sqlite://./ledger.db" }',
        'catalog: ./catalog',
        'lifecycle: { timeZone: Asia/Shanghai }',
        'targets:',
        `  province: { kind: rest-json, url: "https://p.example", tls: { ca: "\${file:./${name}.pem}" } }`,
        '',
      ].join('\n'),
    );
    return file;
  }
  const check = (file: string) => licbridge(['config', 'check', '--config', file], { cwd: dir });

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(join(dir, 'catalog'));
    expired = await datedCa(dir, 'old-root', '200101000000Z', '210101000000Z');
    future = await datedCa(dir, 'next-root', '480101000000Z', '491231000000Z');
    current = await datedCa(dir, 'current-root', '200101000000Z', '470101000000Z');
  });
  afterAll(() => cleanup?.());

  it('every CA expired or not begun: a warning for each, on the config clock; still ok', async () => {
    const r = await check(config('dead', `${expired}\n${future}`));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(': ok (');
    expect(r.stderr).toContain(
      'warning: target province: the CA certificate (subject CN=old-root) expired on 2021-01-01 08:00 +08:00; connections using it are refused: install the renewed certificate\n',
    );
    expect(r.stderr).toContain(
      'warning: target province: the CA certificate (subject CN=next-root) is valid only from 2048-01-01 08:00 +08:00; connections using it are refused until then',
    );
  });

  it('a lone expired CA is warned of', async () => {
    const r = await check(config('lone', expired));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /warning: target province: the CA certificate \(subject CN=old-root\) expired on/,
    );
  });

  it('beside a CA in force: no warning (status names the member, nothing is refused)', async () => {
    const r = await check(config('mixed', `${expired}\n${current}\n${future}`));
    expect(r.status).toBe(0);
    expect(r.stderr).not.toContain('CA certificate');
  });

  it("a subject's terminal controls are dropped", async () => {
    // U+009B (C1 CSI) and U+202E (right-to-left override): Node's subject passes both raw.
    const hostile = await datedCa(dir, 'evil\u009b2Jroot\u202ex', '200101000000Z', '210101000000Z');
    const r = await check(config('hostile', hostile));
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /warning: target province: the CA certificate \(subject CN=evil.*root.*\) expired/,
    );
    for (const control of ['\u009b', '\u202e', '\u001b']) expect(r.stderr).not.toContain(control);
  });
});
