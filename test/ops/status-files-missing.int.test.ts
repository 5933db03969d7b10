// `licbridge status` and `/metrics` over a ledger where license versions have no sealed file:
// `files-missing` counts them per pipeline that issues files (a file store configured and a face
// template for its type) with the `sign files` command that issues them, makes status exit 3, and
// clears once they are issued. A version whose face text does not fit keeps it until the template
// is fixed. A pipeline that issues no files never shows it.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { License } from '../../catalog/license.js';
import { loadConfig } from '../../config/loader.js';
import type { Ledger } from '../../ledger/ledger.js';
import { createMetrics } from '../../pipelines/observability/metrics.js';
import { createQueues, type QueueSet } from '../../pipelines/queues.js';
import { signStoredVersions } from '../../pipelines/stages/sign.js';
import { commitLicenses, signFilesConfig, storedFoodLicense, upTo } from '../documents/fixtures.js';
import { sealKit } from '../documents/seal-kit.js';
import { openSqliteLedger } from '../ledger/open-sqlite-ledger.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge, ROOT } from '../support/cli.js';
import { obliterate } from '../support/demo-workspace.js';
import { metricValue, quietLogger } from './ops-fixtures.js';

const N = 4;
const PIPELINE = 'food';
/** Its address does not fit the premises box's two lines even at the box's minSize; three, it does. */
const TOO_LONG = 3;
const ADDRESS = `山东省青岛市黄岛区${'长江中路海韵广场东北角'.repeat(8)}`;
const CATALOG = join(ROOT, 'examples/west-coast/catalog');
const COMMAND = `\`licbridge sign files --seal district-seal --pipeline ${PIPELINE}\``;

function license(n: number): License {
  const l = storedFoodLicense(n);
  return {
    ...l,
    surface: n === TOO_LONG ? { ...l.surface, premises: ADDRESS } : l.surface,
  };
}

/**
 * One run of the pipeline that creates versions of licenses `ns`, finished: signed by the
 * pipeline's seal and accepted by its target, as a run is before it is done (versions unsigned or
 * undelivered with no job need a person of their own).
 */
async function commitRun(
  ledger: Ledger,
  signer: LocalSm2Signer,
  runId: string,
  ns: readonly number[],
): Promise<void> {
  const page = await commitLicenses(ledger, { pipeline: PIPELINE, runId, mode: 'incremental' }, ns, license);
  const ids = page.created.map((c) => c.versionId);
  await ledger.recordSignatures(await signStoredVersions(signer, 'district', await ledger.getVersions(ids)));
  const sent = await ledger.ensureDeliveries(ids, 'province');
  await ledger.recordDeliveryOutcomes(sent.map((d) => ({ key: d.key, state: 'accepted' as const })));
  await ledger.markExtracted(runId);
  await ledger.finishRun(runId, { state: 'done' });
}

interface StatusJson {
  attention: string[];
  attentionByKind: Record<string, number>;
}

describe('status: license versions without their sealed file (files-missing)', { timeout: 120_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let ledger: Ledger;
  let signer: LocalSm2Signer;
  const prefix = `test-${randomUUID()}`;
  /** A config over the one ledger: `store` adds `licenseFiles.store`, `catalog` names the catalog folder. */
  let configFile: (name: string, options: { store: boolean; catalog: string }) => string;

  const status = async (file: string) => {
    const r = await licbridge(['status', '--no-sources', '--json', '--config', file]);
    return { status: r.status, report: JSON.parse(r.stdout) as StatusJson, stderr: r.stderr };
  };
  const scrape = async (file: string) => {
    const config = await loadConfig({ file, env: {} });
    const queues: QueueSet = createQueues(
      { host: '127.0.0.1', port: 6379, db: 0, maxRetriesPerRequest: null },
      config.queue.prefix,
      ['province'],
    );
    try {
      return await createMetrics({ config, ledger, queues, logger: quietLogger() }).registry.metrics();
    } finally {
      await queues.close();
    }
  };

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    // A seal certificate a year from its end: no `certificate` attention beside the one tested.
    const kit = await sealKit(dir, 365);
    writeFileSync(join(dir, 'legacy.db'), '');
    const yaml = readFileSync(join(CATALOG, 'food-business-license.yaml'), 'utf8');
    // The fix a person makes: the address box may take three lines, which end above 主体业态's box
    // (91 + 18.9 mm < 110; eight would reach into it and the catalog would not load).
    mkdirSync(join(dir, 'fixed-catalog'));
    expect(yaml).toContain('size: 4.5, maxLines: 2 }');
    writeFileSync(
      join(dir, 'fixed-catalog', 'food-business-license.yaml'),
      yaml.replace('size: 4.5, maxLines: 2 }', 'size: 4.5, maxLines: 3 }'),
    );
    // The same type without a face template: `sign files` skips its versions.
    mkdirSync(join(dir, 'faceless-catalog'));
    expect(yaml).toContain('\nface:\n');
    writeFileSync(
      join(dir, 'faceless-catalog', 'food-business-license.yaml'),
      yaml.slice(0, yaml.indexOf('\nface:\n') + 1).replace(/\n#[^\n]*\n$/, '\n'),
    );
    configFile = (name, options) => {
      const file = join(dir, name);
      writeFileSync(
        file,
        signFilesConfig(kit, {
          ledgerUrl: `sqlite://${join(dir, 'ledger.db')}`,
          pipeline: PIPELINE,
          catalog: options.catalog,
          lines: [
            `queue: { redis: "redis://127.0.0.1:6379", prefix: ${prefix}, connectTimeoutMs: 3000 }`,
            ...(options.store ? ['licenseFiles: { store: ./files }'] : []),
            // The seal's maker, trusted as such: else the files it seals fail verify, and status says so.
            `trust: { seal-office: { sealId: maker, file: ${kit.maker.certPath}, role: seal-maker } }`,
          ],
        }),
      );
      return file;
    };
    ledger = await openSqliteLedger(join(dir, 'ledger.db'), { logger: quietLogger() });
    signer = new LocalSm2Signer('district', {
      kind: 'local-sm2',
      key: readFileSync(kit.holder.keyPath, 'utf8'),
      sealId: 'district',
      distId: '1234567812345678',
      workers: 0,
    });
    await signer.open();
    await commitRun(ledger, signer, 'seed', upTo(N));
  });
  afterAll(async () => {
    await signer?.close();
    await ledger?.close();
    await obliterate(prefix);
    cleanup?.();
  });

  it('counts the versions without a file and names the command; clears once sign files issued them', async () => {
    const files = configFile('files.yaml', { store: true, catalog: CATALOG });
    const fixed = configFile('files-fixed.yaml', { store: true, catalog: join(dir, 'fixed-catalog') });
    const line = (n: number) =>
      `pipeline ${PIPELINE}: ${n} license version(s) have no sealed license file; ${COMMAND} issues them`;

    const before = await status(files);
    expect(before.status, before.stderr).toBe(3);
    expect(before.report.attentionByKind['files-missing']).toBe(1);
    expect(before.report.attention).toEqual([expect.stringContaining(line(N))]);
    expect(metricValue(await scrape(files), 'licbridge_attention', { kind: 'files-missing' })).toBe(1);

    // The face that does not fit gets no file: that version is still owed, and said so.
    const issued = await licbridge(['sign', 'files', '--seal', 'district-seal', '--config', files]);
    expect(issued.status, issued.stderr).toBe(3);
    const left = await status(files);
    expect(left.status).toBe(3);
    expect(left.report.attention).toEqual([expect.stringContaining(line(1))]);
    // Counts and ledger keys only: no license value, no holder.
    const text = await licbridge(['status', '--no-sources', '--config', files]);
    expect(text.stdout).toContain(line(1));
    for (const out of [text.stdout, JSON.stringify(left.report)]) {
      expect(out).not.toContain('长江中路海韵广场东北角');
      expect(out).not.toContain(license(TOO_LONG).holder.name);
      expect(out).not.toContain(license(TOO_LONG).holder.id);
    }

    // Once the template is fixed, the rerun issues it and the attention is gone.
    const rerun = await licbridge(['sign', 'files', '--seal', 'district-seal', '--config', fixed]);
    expect(rerun.status, rerun.stderr).toBe(0);
    const after = await status(files);
    expect(after.report.attention).toEqual([]);
    expect(after.report.attentionByKind['files-missing']).toBe(0);
    expect(after.status).toBe(0);
    expect(metricValue(await scrape(files), 'licbridge_attention', { kind: 'files-missing' })).toBe(0);
  });

  it('never shows for a pipeline that issues no files: no file store, or no face template for its type', async () => {
    await commitRun(ledger, signer, 'more', [N + 1]);
    // With files configured, the new version is owed its file.
    const owed = await status(configFile('files.yaml', { store: true, catalog: CATALOG }));
    expect(owed.report.attentionByKind['files-missing']).toBe(1);

    for (const file of [
      configFile('no-files.yaml', { store: false, catalog: CATALOG }),
      configFile('faceless.yaml', { store: true, catalog: join(dir, 'faceless-catalog') }),
    ]) {
      const r = await status(file);
      expect(r.report.attentionByKind['files-missing']).toBe(0);
      expect(r.report.attention).toEqual([]);
      expect(r.status).toBe(0);
      expect(metricValue(await scrape(file), 'licbridge_attention', { kind: 'files-missing' })).toBe(0);
    }
  });
});
