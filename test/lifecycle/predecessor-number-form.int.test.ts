/**
 * A renewal names its predecessor by number, and the pipeline finds that license by the number it
 * holds: the text the `number` rule wrote (here trimmed, half-width, upper-cased). A
 * `predecessor.number` rule without those transforms, over a column typed in full-width or lower
 * case, named a number no license holds, and the renewal was quarantined LB_PREDECESSOR_UNKNOWN.
 * The predecessor's number now gets the form the `number` rule gives a number
 * (docs/mapping-language.md, "Output paths"); two licenses of different numbers stay apart.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { compileMappingText } from '../../mappings/compile.js';
import {
  createLicenseMapper,
  type LicenseCandidate,
  type LicenseMapper,
} from '../../mappings/license-mapper.js';
import { resolvePredecessors } from '../../pipelines/lifecycle/predecessors.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { DEMO_MAPPING_FILE, demoValues } from '../mappings/fixtures.js';

const PIPELINE = 'food-business-licenses';
// The demo's rule gives the predecessor the number's transforms; this one reads the column bare.
const DEMO_RULE = 'predecessor.number: { from: YZSBH, transform: [trim, halfWidth, upper] }';

let database: TestDatabase;
let ledger: Ledger;
let mapper: LicenseMapper;

beforeAll(async () => {
  const demo = await readFile(DEMO_MAPPING_FILE, 'utf8');
  expect(demo).toContain(DEMO_RULE);
  mapper = createLicenseMapper({
    pipeline: PIPELINE,
    sourceName: 'market-food',
    mapping: compileMappingText(
      demo.replace(DEMO_RULE, 'predecessor.number: { from: YZSBH }'),
      DEMO_MAPPING_FILE,
    ),
    catalog: await loadCatalog(DEMO_CATALOG_DIR),
    licenseType: DEMO_TYPE,
    issuer: DEMO_ISSUER,
    areaCode: '370211',
  });
  database = await sqliteBackend.create();
  ledger = await openLedger(database.url, { logger: quietLogger });
});

afterAll(async () => {
  await ledger?.close();
  await database?.dispose();
});

function candidate(key: string, over: Record<string, string | null>): LicenseCandidate {
  const r = mapper({ key, values: demoValues({ YZSBH: null, YXKZID: null, BGLX: null, ...over }) }, 'run');
  if (!r.ok) throw new Error(JSON.stringify(r.reasons));
  return r.candidate;
}

async function store(candidates: LicenseCandidate[]): Promise<void> {
  const runId = randomUUID();
  await ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
  await ledger.commitPage({
    pipeline: PIPELINE,
    runId,
    checkpoint: encodeKeyPosition({ cursor: null, key: candidates.at(-1)?.sourceKey ?? '' }),
    rowsRead: candidates.length,
    candidates,
    quarantined: [],
  });
}

describe('a renewal naming its predecessor in another form than the number rule writes', () => {
  it.each([
    ['full-width', 'A1', 'ＪＹ２３７０２１１００９００Ａ１'],
    ['lower case, CHAR padded', 'A2', 'jy237021100900a2      '],
    ['full-width lower case, ideographic spaces', 'A3', '\u3000ｊｙ２３７０２１１００９００ａ３\u3000'],
  ])('%s: continues the license of that number', async (_name, tag, named) => {
    const old = candidate(`${tag}-old`, { XKZBH: `JY237021100900${tag}` });
    await store([old]);
    const renewal = candidate(`${tag}-new`, { XKZBH: `JY237021100901${tag}`, YZSBH: named });
    expect(renewal.predecessor?.number).toBe(old.build(1).number);
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(ledger, PIPELINE, [renewal], quarantined);
    expect(quarantined.map((q) => q.reasons[0]?.code)).toEqual([]);
    expect(ready.map((c) => c.build(1).previousIdentifier)).toEqual([old.build(1).identifier]);
  });

  it('in one page too, and a number differing by more than its form names no license', async () => {
    const old = candidate('B-old', { XKZBH: 'JY23702110090B01' });
    const renewal = candidate('B-new', {
      XKZBH: 'JY23702110091B01',
      YZSBH: 'ｊｙ２３７０２１１００９０ｂ０１ ',
    });
    const stray = candidate('B-stray', { XKZBH: 'JY23702110092B01', YZSBH: 'JY23702110090B02' });
    const quarantined: QuarantineCandidate[] = [];
    const ready = await resolvePredecessors(ledger, PIPELINE, [old, renewal, stray], quarantined);
    expect(quarantined.map((q) => [q.sourceKey, q.reasons[0]?.code])).toEqual([
      ['B-stray', 'LB_PREDECESSOR_UNKNOWN'],
    ]);
    const linked = ready.find((c) => c.sourceKey === 'B-new')?.build(1).previousIdentifier;
    expect(linked).toBe(old.build(1).identifier);
  });
});
