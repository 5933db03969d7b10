// `licbridge status` names a configured seal whose maker `verify` does not trust as a seal maker
// (a `certificate` attention, exit 3): every file the seal seals fails verification, and the
// line says which `trust` entry to add. With the maker trusted, nothing is said.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';
import { quietLogger } from './ops-fixtures.js';

interface StatusJson {
  attention: string[];
  attentionByKind: Record<string, number>;
}

describe('status: a seal whose maker verify does not trust', { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let ledger: Ledger;
  const prefix = `test-${randomUUID()}`;

  function config(name: string, trust: string[]): string {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        `ledger: { url: "sqlite://${join(dir, 'ledger.db')}" }`,
        `queue: { redis: "redis://127.0.0.1:6379", prefix: ${prefix}, connectTimeoutMs: 3000 }`,
        'catalog: ./catalog',
        'log: { level: warn }',
        `signers: { district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 } }`,
        `seals: { district-seal: { file: ${kit.sealFile}, signer: district } }`,
        ...trust,
        '',
      ].join('\n'),
    );
    return file;
  }
  const status = async (file: string) => {
    const r = await licbridge(['status', '--no-sources', '--json', '--config', file]);
    return { status: r.status, report: JSON.parse(r.stdout) as StatusJson, stderr: r.stderr };
  };

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(join(dir, 'catalog'));
    // The holder's certificate a year from its end: no expiry attention beside the one tested.
    kit = await sealKit(dir, 365);
    ledger = await openSqliteLedger(join(dir, 'ledger.db'), { logger: quietLogger() });
  });
  afterAll(async () => {
    await ledger?.close();
    await obliterate(prefix);
    cleanup?.();
  });

  it('needs a person while the maker is not trusted as a seal maker, and not once it is', async () => {
    const untrusted = await status(config('untrusted', []));
    expect(untrusted.status, untrusted.stderr).toBe(3);
    expect(untrusted.report.attentionByKind.certificate).toBe(1);
    expect(untrusted.report.attention).toEqual([
      expect.stringMatching(
        /^seal district-seal \(\.\/district\.esl\): every file sealed with it fails `licbridge verify`: untrusted seal maker: certificate serial [0-9A-F]+ \(CN=West Coast Seal Administration\) is not in `trust` as a seal maker .* add to `trust`: `district-seal-seal-maker: \{ sealId: district-seal-maker, file: \.\/keys\/district-seal-maker\.cert\.pem, role: seal-maker \}`$/,
      ),
    ]);

    const trusted = await status(
      config('trusted', [
        'trust:',
        `  seal-office: { sealId: maker, file: ${kit.maker.certPath}, role: seal-maker }`,
      ]),
    );
    expect(trusted.report.attention).toEqual([]);
    expect(trusted.report.attentionByKind.certificate).toBe(0);
    expect(trusted.status).toBe(0);
  });
});
