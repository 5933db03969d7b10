/**
 * The demo mapping, with lines a test adds (`predecessor.sourceKey`, `operation`), over a fresh
 * SQLite ledger: what the tests of renewals naming their predecessor start from.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { compileMappingText } from '../../mappings/compile.js';
import {
  createLicenseMapper,
  type LicenseCandidate,
  type LicenseMapper,
} from '../../mappings/license-mapper.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { DEMO_MAPPING_FILE, demoValues } from '../mappings/fixtures.js';

export const PIPELINE = 'food-business-licenses';

export interface PredecessorWorkspace {
  /** Read inside the tests and hooks, once `beforeAll` has run. */
  readonly ledger: Ledger;
  readonly mapper: LicenseMapper;
  /** Row `key` of the demo's values with `over` (YZSBH, YXKZID and BGLX empty unless given), mapped. */
  row(key: string, over: Record<string, string | null>): ReturnType<LicenseMapper>;
  /** The candidate a mapping gave; throws with the reasons of one that failed. */
  ok(r: ReturnType<LicenseMapper>): LicenseCandidate;
  /** Commits `candidates`, if any, as one page of a new incremental run. */
  store(candidates: LicenseCandidate[]): Promise<void>;
}

/**
 * A mapper of the demo mapping followed by `extra` mapping lines, and a fresh SQLite ledger, made
 * before the calling `describe` block's tests and closed after them.
 */
export function predecessorWorkspace(extra = ''): PredecessorWorkspace {
  let database: TestDatabase | undefined;
  let ledger: Ledger | undefined;
  let mapper: LicenseMapper | undefined;
  beforeAll(async () => {
    const text = `${await readFile(DEMO_MAPPING_FILE, 'utf8')}${extra}`;
    mapper = createLicenseMapper({
      pipeline: PIPELINE,
      sourceName: 'market-food',
      mapping: compileMappingText(text, DEMO_MAPPING_FILE),
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
  const made: PredecessorWorkspace = {
    get ledger() {
      if (!ledger) throw new Error('predecessor workspace: not made yet (read outside its tests)');
      return ledger;
    },
    get mapper() {
      if (!mapper) throw new Error('predecessor workspace: not made yet (read outside its tests)');
      return mapper;
    },
    row: (key, over) =>
      made.mapper({ key, values: demoValues({ YZSBH: null, YXKZID: null, BGLX: null, ...over }) }, 'run'),
    ok(r) {
      if (!r.ok) throw new Error(JSON.stringify(r.reasons));
      return r.candidate;
    },
    async store(candidates) {
      if (candidates.length === 0) return;
      const runId = randomUUID();
      await made.ledger.startRun({ runId, pipeline: PIPELINE, mode: 'incremental' });
      await made.ledger.commitPage({
        pipeline: PIPELINE,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: candidates.at(-1)?.sourceKey ?? '' }),
        rowsRead: candidates.length,
        candidates,
        quarantined: [],
      });
    },
  };
  return made;
}
