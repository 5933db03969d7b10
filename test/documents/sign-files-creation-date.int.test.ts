// `sign files` writes each file's creation date (OFD.xml) as its signing day on the department's
// clock, `lifecycle.timeZone`, as every other day licbridge counts: a department configured on
// Asia/Urumqi (UTC+6) signing at 17:30 UTC sees its own date, not Beijing's (the next day).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { contentHash } from '../../catalog/canonical.js';
import { loadConfig } from '../../config/loader.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { openLicenseFileIssuer } from '../../pipelines/issue-license-files.js';
import { makeTempDir } from '../signers/helpers.js';
import { ROOT } from '../support/cli.js';
import { foodLicense } from './fixtures.js';
import { sealKit } from './seal-kit.js';

const PIPELINE = 'food';
const HOUR = 3_600_000;

/** The next instant at 17:30 UTC at least an hour away: the 2nd in Urumqi, the 3rd in Beijing. */
function nextHalfPastFive(now: number): Date {
  const day = new Date(now);
  day.setUTCHours(17, 30, 0, 0);
  return new Date(day.getTime() < now + HOUR ? day.getTime() + 24 * HOUR : day.getTime());
}

describe('sign files: the creation date', () => {
  let dir: string;
  let cleanup: () => void;
  let configFile: string;
  let ledgerUrl: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    const kit = await sealKit(dir);
    ledgerUrl = `sqlite://${join(dir, 'ledger.db')}`;
    writeFileSync(join(dir, 'legacy.db'), '');
    configFile = join(dir, 'licbridge.yaml');
    writeFileSync(
      configFile,
      [
        `ledger: { url: "${ledgerUrl}" }`,
        `catalog: ${join(ROOT, 'examples/west-coast/catalog')}`,
        'lifecycle: { timeZone: Asia/Urumqi }',
        'log: { level: warn }',
        'sources: { market-food: { kind: sqlite, path: ./legacy.db } }',
        'pipelines:',
        `  ${PIPELINE}:`,
        '    source: market-food',
        '    stream: { table: T, key: ID }',
        `    mapping: ${join(ROOT, 'examples/west-coast/mappings/food-business-license.yaml')}`,
        '    licenseType: 11370200MB12345674001',
        '    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }',
        '    signer: district',
        '    targets: [province]',
        'targets: { province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } } }',
        `signers: { district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: district, workers: 0 } }`,
        `seals: { district-seal: { file: ${kit.sealFile}, signer: district } }`,
        '',
      ].join('\n'),
    );
    const ledger = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
    await ledger.migrate();
    await ledger.startRun({ runId: 'seed', pipeline: PIPELINE, mode: 'full' });
    const l = foodLicense(1);
    await ledger.commitPage({
      pipeline: PIPELINE,
      runId: 'seed',
      checkpoint: encodeKeyPosition({ cursor: null, key: '1' }),
      rowsRead: 1,
      candidates: [
        {
          licenseId: l.identifier.slice(0, -6),
          sourceKey: '1',
          contentHash: contentHash(l),
          status: 'valid' as const,
          lineage: {
            pipeline: PIPELINE,
            source: 'market-food',
            sourceKey: '1',
            runId: 'seed',
            catalogVersion: 'c',
            mappingVersion: 'm',
          },
          build: (v: number) => ({
            ...l,
            identifier: `${l.identifier.slice(0, -5)}${String(v).padStart(3, '0')}.F`,
          }),
        },
      ],
      quarantined: [],
    });
    await ledger.close();
  });
  afterAll(() => {
    vi.useRealTimers();
    cleanup();
  });

  it("is the signing day in lifecycle.timeZone, not always Beijing's", async () => {
    const signedAt = nextHalfPastFive(Date.now());
    const config = await loadConfig({ file: configFile });
    const issuer = await openLicenseFileIssuer(config, 'district-seal');
    const ledger = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
    const store = join(dir, 'files');
    try {
      vi.useFakeTimers({ toFake: ['Date'], now: signedAt });
      const summary = await issuer.issue(
        ledger,
        { storeRoot: store, pageSize: 10 },
        createLogger({ level: 'silent' }),
      );
      expect(summary.issued).toBe(1);
    } finally {
      vi.useRealTimers();
      await issuer.close();
      await ledger.close();
    }
    const [file] = (readdirSync(store, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd'));
    const xml = readZip(readFileSync(join(store, file as string)))
      .read('OFD.xml')
      .toString('utf8');
    const urumqiDay = new Date(signedAt.getTime() + 6 * HOUR).toISOString().slice(0, 10);
    expect(urumqiDay).not.toBe(new Date(signedAt.getTime() + 8 * HOUR).toISOString().slice(0, 10));
    expect(/<ofd:CreationDate>([^<]*)</.exec(xml)?.[1]).toBe(urumqiDay);
  });
});
