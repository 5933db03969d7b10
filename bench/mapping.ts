/**
 * Map + validate + identify throughput on the demo department's mapping, against a hand-written
 * TypeScript function doing the same work in the same run: the same trims, dates, lookups and
 * input checks, then the same catalog validation, identifier and content hash. Both must agree on
 * every row (checked), so the ratio is the mapping language's cost and nothing else.
 * Targets: ≥ 100,000 rows/s on one core, ≥ 0.5 of the hand-written speed.
 * `node dist-bench/bench/mapping.js [rows] [rounds]` — pure CPU, no I/O, no network.
 */
import { availableParallelism, loadavg } from 'node:os';
import { contentHash } from '../catalog/canonical.js';
import { buildIdentifier, deriveSerial, licenseIdOf } from '../catalog/identifier.js';
import type { License, LicenseStatus } from '../catalog/license.js';
import { newRecord } from '../examples/west-coast/generate-legacy-db.js';
import { draw } from '../examples/west-coast/legacy-records.js';
import { checkInput } from '../mappings/input-guard.js';
import { toHalfWidth } from '../mappings/transforms.js';
import type { InputRow, InputValue } from '../mappings/types.js';
import { westCoastFoodMapper } from './support/west-coast-mapper.js';

const ROWS = Number(process.argv[2] ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const PIPELINE = 'food-business-licenses';
const TYPE = { name: '食品经营许可证', code: '11370200MB12345674001' };
const ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };

function rows(n: number): InputRow[] {
  const d = draw(42);
  return Array.from({ length: n }, (_, i) => {
    const record = newRecord(
      d,
      i + 1,
      String(1_000_000 + i),
      new Date(Date.UTC(2016, 0, 1) + (i % 3000) * 86_400_000),
    );
    return { key: String(record.ID), values: { ...record } as unknown as Record<string, InputValue> };
  });
}

// ---- the hand-written baseline -------------------------------------------------------------
const STATUS: Record<string, LicenseStatus> = {
  '1': 'valid',
  '2': 'suspended',
  '0': 'revoked',
  '3': 'cancelled',
};

// The same input checks as the mapping: the column must be in the row, a number must be finite,
// text goes through the input guard, a value that is neither text nor a number fails.
function raw(values: Record<string, InputValue>, column: string): string | null {
  if (!Object.hasOwn(values, column)) throw new Error(column);
  const v = values[column];
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') throw new Error(column);
  if (typeof v === 'string' && checkInput(v)) throw new Error(column);
  return String(v).trim();
}

function text(values: Record<string, InputValue>, column: string): string | null {
  const t = raw(values, column);
  return t === '' ? null : t;
}

// Legacy "no date" markers, as the date transform reads them (00000000, 0000-00-00, …).
const ZERO_DATE = /^0+([-/.]0+)*( 0+(:0+)*(\.0+)?)?$/;

function ymd(t: string | null): string | null {
  if (t === null || ZERO_DATE.test(t)) return null;
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(t);
  if (!m) throw new Error('date');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || y === 0) throw new Error('date');
  return `${m[1]}-${m[2]}-${m[3]}`;
}

type HandResult = { ok: true; licenseId: string; hash: string } | { ok: false };

function handMap(values: Record<string, InputValue>): Omit<License, 'identifier'> | null {
  try {
    const required = (v: string | null) => {
      if (v === null) throw new Error('required');
      return v;
    };
    const issued = required(ymd(text(values, 'FZRQ')));
    const code = required(text(values, 'ZT'));
    const status = Object.hasOwn(STATUS, code) ? STATUS[code] : undefined;
    if (!status) return null;
    const items = required(text(values, 'JYXM'))
      .replace(/;/gu, '；')
      .split('；')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length === 0) return null;
    return {
      number: toHalfWidth(required(text(values, 'XKZBH'))).toUpperCase(),
      type: TYPE,
      issuer: ISSUER,
      issueDate: issued,
      validFrom: issued,
      validTo: ymd(text(values, 'YXQZ')),
      // Blank text is kept (and fails the catalog), as the mapping's rule keeps it; only null falls back.
      areaCode: raw(values, 'XZQH') ?? '370211',
      holder: {
        name: required(text(values, 'JYZMC')),
        idType: '001',
        id: toHalfWidth(required(text(values, 'TYSHXYDM'))).toUpperCase(),
      },
      status,
      surface: {
        legalRepresentative: required(text(values, 'FDDBR')),
        premises: required(text(values, 'JYCS')),
        businessForm: required(text(values, 'ZTYT')),
        businessItems: items,
      },
    };
  } catch {
    return null;
  }
}

// ---- measurement ---------------------------------------------------------------------------
function best(fn: () => void, n: number): number {
  let top = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    fn();
    top = Math.max(top, n / ((performance.now() - start) / 1000));
  }
  return top;
}

async function main(): Promise<void> {
  const { catalog, mapping, mapper } = await westCoastFoodMapper({
    pipeline: PIPELINE,
    licenseType: TYPE.code,
    issuer: ISSUER,
  });
  const hand = (row: InputRow, withHash = true): HandResult => {
    const content = handMap(row.values);
    if (!content) return { ok: false };
    const parts = { typeCode: TYPE.code, issuerCode: ISSUER.code, serial: deriveSerial(PIPELINE, row.key) };
    const license: License = { identifier: buildIdentifier({ ...parts, version: 1 }), ...content };
    if (catalog.validate(license).length > 0) return { ok: false };
    return { ok: true, licenseId: licenseIdOf(parts), hash: withHash ? contentHash(license) : '' };
  };
  const data = rows(ROWS);

  // Both must say the same thing about every row, or the comparison means nothing.
  let mapped = 0;
  for (const row of data) {
    const a = mapper(row, 'bench');
    const b = hand(row);
    if (
      a.ok !== b.ok ||
      (a.ok && b.ok && (a.candidate.contentHash !== b.hash || a.candidate.licenseId !== b.licenseId))
    ) {
      throw new Error(`bench: compiled and hand-written disagree on row ${row.key}`);
    }
    if (a.ok) mapped++;
  }

  let sink = 0;
  const mapOnly = best(() => {
    for (const row of data) sink += mapping.map(row.values).ok ? 1 : 0;
  }, data.length);
  const handMapOnly = best(() => {
    for (const row of data) sink += handMap(row.values) ? 1 : 0;
  }, data.length);
  const full = best(() => {
    for (const row of data) sink += mapper(row, 'bench').ok ? 1 : 0;
  }, data.length);
  const handFull = best(() => {
    for (const row of data) sink += hand(row, false).ok ? 1 : 0;
  }, data.length);
  // The content hash (JCS + SM3) is what the ledger compares to decide on a new version; the
  // candidate computes it when first read, so it is measured on its own line.
  const hashed = best(() => {
    for (const row of data) {
      const r = mapper(row, 'bench');
      sink += r.ok ? r.candidate.contentHash.length : 0;
    }
  }, data.length);
  const handHashed = best(() => {
    for (const row of data) {
      const r = hand(row, true);
      sink += r.ok ? r.hash.length : 0;
    }
  }, data.length);

  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
  const line = (what: string, compiled: number, baseline: number) =>
    `| ${what.padEnd(34)} | ${fmt(compiled)} | ${fmt(baseline)} | ${(compiled / baseline).toFixed(2).padStart(5)} |`;
  process.stdout.write(
    [
      `mapping bench: ${data.length.toLocaleString('en-US')} demo rows (${mapped.toLocaleString('en-US')} valid), best of ${ROUNDS}, one core, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`,
      '| stage                              | mapping/s  | by hand/s  | ratio |',
      '| ---------------------------------- | ---------- | ---------- | ----- |',
      line('map only', mapOnly, handMapOnly),
      line('map + validate + identify', full, handFull),
      line('map + validate + identify + hash', hashed, handHashed),
      '',
      `targets: map + validate + identify ≥ 100,000 rows/s: ${full >= 100_000 ? 'met' : 'NOT met'}; ≥ 0.5 of hand-written: ${full / handFull >= 0.5 ? 'met' : 'NOT met'}`,
      `(checksum ${sink})`,
      '',
    ].join('\n'),
  );
}

await main();
