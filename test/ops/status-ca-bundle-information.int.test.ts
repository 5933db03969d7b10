// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is the config's reference syntax.
/**
 * A renewed root added to a `tls.ca` bundle before it starts, beside the root in force, breaks no
 * connection: every server chaining to the root in force connects. `licbridge status` still exited 3
 * for it, so a monitor alerting on the exit code woke a person for a bundle set up as it should be.
 * Such a line is now information: printed under "for information", in `--json` as `information`,
 * and neither counted in `attention` nor for the exit code. A bundle with no CA in force still needs
 * a person (exit 3).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';
import { datedCa } from '../tls/dated-ca.js';
import { quietLogger } from './ops-fixtures.js';

interface StatusJson {
  attention: string[];
  attentionByKind: Record<string, number>;
  information: string[];
}

const NEXT_ROOT_LINE =
  "target province: the CA certificate (subject CN=next-root) in the CA bundle is valid only from 2048-01-01 00:00 +00:00; connections whose server chains only to it fail until then, the bundle's other CAs verify now: keep it there for the servers that move to it";

describe('status: a CA not valid yet beside one in force in a `tls.ca` bundle', { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let current: string;
  let next: string;
  const prefix = `test-${randomUUID()}`;

  function config(name: string, bundle: string): string {
    writeFileSync(join(dir, `${name}.pem`), bundle);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        `ledger: { url: "sqlite://${join(dir, 'ledger.db')}" }`,
        `queue: { redis: "redis://127.0.0.1:6379", prefix: ${prefix}, connectTimeoutMs: 3000 }`,
        'catalog: ./catalog',
        'log: { level: warn }',
        'lifecycle: { timeZone: UTC }',
        'targets:',
        `  province: { kind: rest-json, url: "https://127.0.0.1:9", tls: { ca: "\${file:./${name}.pem}" } }`,
        '',
      ].join('\n'),
    );
    return file;
  }
  const status = (file: string, json: boolean) =>
    licbridge(['status', '--no-sources', ...(json ? ['--json'] : []), '--config', file], { cwd: dir });

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(join(dir, 'catalog'));
    current = await datedCa(dir, 'current-root', '200101000000Z', '470101000000Z');
    next = await datedCa(dir, 'next-root', '480101000000Z', '491231000000Z');
    const ledger = await openSqliteLedger(join(dir, 'ledger.db'), { logger: quietLogger() });
    await ledger.close();
  });
  afterAll(async () => {
    await obliterate(prefix);
    cleanup?.();
  });

  it('is printed for information and exits 0', async () => {
    const file = config('mixed', `${current}\n${next}`);
    const text = await status(file, false);
    expect(text.stdout).toContain(`for information (1):\n  - ${NEXT_ROOT_LINE}\n`);
    expect(text.stdout).toMatch(/\nall well\n$/);
    expect(text.status, text.stdout + text.stderr).toBe(0);

    const json = await status(file, true);
    const report = JSON.parse(json.stdout) as StatusJson;
    expect(report.information).toEqual([NEXT_ROOT_LINE]);
    expect(report.attention).toEqual([]);
    expect(report.attentionByKind.certificate).toBe(0);
    expect(json.status).toBe(0);
  });

  it('a bundle with no CA in force still needs a person', async () => {
    const r = await status(config('none', next), true);
    const report = JSON.parse(r.stdout) as StatusJson;
    expect(report.attention).toEqual([
      expect.stringMatching(
        /CN=next-root\) is valid only from .*; connections using it are refused until then/,
      ),
    ]);
    expect(report.information).toEqual([]);
    expect(r.status).toBe(3);
  });
});
