// `licbridge status` names a configured seal made for its signer's certificate before it was
// renewed (a `certificate` attention, exit 3): the renewed certificate passed status, while `sign
// files` refused the seal, which lists only the old one, and owed files piled up unexplained.

import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { makeTempDir, selfSignedCertificate } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';
import { quietLogger } from './ops-fixtures.js';

interface StatusJson {
  attention: string[];
  attentionByKind: Record<string, number>;
}

describe("status: a seal that does not list its signer's renewed certificate", { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let ledger: Ledger;
  const prefix = `test-${randomUUID()}`;

  function config(name: string, certificate: string): string {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        `ledger: { url: "sqlite://${join(dir, 'ledger.db')}" }`,
        `queue: { redis: "redis://127.0.0.1:6379", prefix: ${prefix}, connectTimeoutMs: 3000 }`,
        'catalog: ./catalog',
        'log: { level: warn }',
        `signers: { district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${certificate}, sealId: district, workers: 0 } }`,
        `seals: { district-seal: { file: ${kit.sealFile}, signer: district } }`,
        'trust:',
        `  seal-office: { sealId: maker, file: ${kit.maker.certPath}, role: seal-maker }`,
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

  it('needs a person once the certificate is renewed and the seal not made again', async () => {
    const made = await status(config('made', kit.holder.certPath));
    expect(made.report.attention, made.stderr).toEqual([]);
    expect(made.status).toBe(0);

    const renewed = join(dir, 'holder-renewed.cert.pem');
    selfSignedCertificate(dir, {
      key: kit.holder.keyPath,
      subject: '/CN=West Coast Market Supervision Bureau',
      days: 730,
      out: renewed,
    });
    const after = await status(config('renewed', renewed));
    expect(after.status, after.stderr).toBe(3);
    expect(after.report.attentionByKind.certificate).toBe(1);
    expect(after.report.attention).toEqual([
      expect.stringMatching(
        /^seal district-seal \(37021100000001\) does not list the certificate of its signer district \(serial [0-9A-F]+\), renewed since the seal was made; `sign files` refuses it: make it again .*`licbridge seal make district-seal --maker <seal maker's signer> --image <png> --name <name> --force`/,
      ),
    ]);
  });
});
