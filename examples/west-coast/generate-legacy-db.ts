/**
 * Generates the demo department's legacy database: the food business licenses of 青岛西海岸新区
 * 市场监督管理局 (area 370211), as an old system keeps them — CHAR padding, `yyyyMMdd` text dates,
 * `00000000` for "no expiry", a few broken credit codes, lowercase `x` in ID numbers, and batch
 * updates that give many rows the same GXSJ — and, in a second table, its small-catering
 * registrations (`T_XCY_DJZ`), with quirks of their own. Deterministic from the seed.
 */
import { rename, rm } from 'node:fs/promises';
import {
  CATERING_COLUMNS,
  CATERING_DDL,
  CATERING_STREAM,
  CATERING_TABLE,
  cateringRecords,
} from './catering-table.js';
import {
  AREA,
  address,
  type BusinessForm,
  businessItems,
  businessName,
  type Draw,
  draw,
  FORMS,
  ISSUER,
  personName,
} from './legacy-records.js';
import { residentId, ymd } from './resident-id.js';

export { CATERING_COLUMNS, CATERING_DDL, CATERING_TABLE, type CateringRecord } from './catering-table.js';
export { residentId } from './resident-id.js';

export const LEGACY_TABLE = 'T_SPXK_XKZ';

export const LEGACY_DDL = `CREATE TABLE ${LEGACY_TABLE} (
  ID INTEGER PRIMARY KEY,
  XKZBH CHAR(20),
  JYZMC VARCHAR(200),
  TYSHXYDM CHAR(18),
  FDDBR VARCHAR(50),
  FDDBRSFZ CHAR(18),
  JYCS VARCHAR(300),
  ZTYT VARCHAR(50),
  JYXM VARCHAR(500),
  FZRQ CHAR(8),
  YXQZ CHAR(8),
  FZJG VARCHAR(100),
  ZT CHAR(1),
  XZQH CHAR(6),
  GXSJ TEXT,
  YZSBH CHAR(20)
)`;

/**
 * The indexes the onboarding guide asks a department for (docs/onboarding.md, docs/connectors.md):
 * one leading with each stream's cursor, then its key. licbridge reads a stream in pages ordered
 * by (cursor, key); without such an index every page scans and sorts the whole table — on
 * 1,000,000 rows 300 ms a page instead of 6 ms, half of a million-row run. Built once the rows
 * and their updates are in: 1.2 s of the 29 s that generating 1,000,000 rows takes.
 */
export const LEGACY_INDEXES: readonly string[] = [
  `CREATE INDEX IX_${LEGACY_TABLE}_GXSJ_ID ON ${LEGACY_TABLE} (GXSJ, ID)`,
  `CREATE INDEX IX_${CATERING_TABLE}_GXSJ_XH ON ${CATERING_TABLE} (GXSJ, XH)`,
];

export interface LegacyRecord {
  ID: number;
  XKZBH: string;
  JYZMC: string;
  TYSHXYDM: string;
  FDDBR: string;
  FDDBRSFZ: string;
  JYCS: string;
  ZTYT: BusinessForm;
  JYXM: string;
  FZRQ: string;
  YXQZ: string;
  FZJG: string;
  ZT: string;
  XZQH: string;
  GXSJ: string;
  /** 原证书编号: the number of the license this one renews, on a renewal; NULL otherwise. */
  YZSBH: string | null;
}

export const LEGACY_COLUMNS = [
  'ID',
  'XKZBH',
  'JYZMC',
  'TYSHXYDM',
  'FDDBR',
  'FDDBRSFZ',
  'JYCS',
  'ZTYT',
  'JYXM',
  'FZRQ',
  'YXQZ',
  'FZJG',
  'ZT',
  'XZQH',
  'GXSJ',
  'YZSBH',
] as const;

// GB 32100-2015: the 31 characters of a credit code (no I, O, S, V, Z) and the check weights.
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 check character over the first 17 characters (same as catalog's `usccCheckChar`). */
function creditCodeCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CODE_CHARS.indexOf(first17.charAt(i)) * (CODE_WEIGHTS[i] ?? 0);
  return CODE_CHARS.charAt((31 - (sum % 31)) % 31);
}

/** GB 11714 organisation code check (positions 9–17 of a credit code carry an org code). */
function orgCodeCheck(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(first8.charAt(i), 36) * (weights[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * A credit code for the holder named `name`; about 2% broken the ways legacy data breaks: a wrong
 * check or a forbidden letter. GB 32100 positions 1–2: 91 company, 92 individual business,
 * 12 public institution (a school's or hospital's canteen).
 */
export function creditCode(d: Draw, name: string): string {
  const kind = name.includes('有限公司') ? '91' : name.endsWith('食堂') ? '12' : '92';
  let org = 'MA';
  for (let i = 0; i < 6; i++)
    org += d.pick(i === 0 ? ['3', '3', '9'] : [...CODE_CHARS.slice(0, 10), 'C', 'D', 'E']);
  const first17 = `${kind}${AREA}${org}${orgCodeCheck(org)}`;
  const check = creditCodeCheck(first17);
  const roll = d.next();
  if (roll < 0.01) return `${first17}${CODE_CHARS.charAt((CODE_CHARS.indexOf(check) + d.int(1, 30)) % 31)}`;
  if (roll < 0.02) {
    const at = d.int(10, 16);
    return `${first17.slice(0, at)}${d.pick(['I', 'O', 'S', 'V', 'Z'])}${first17.slice(at + 1)}${check}`;
  }
  return first17 + check;
}

/** Whether `code` is a well-formed credit code: its alphabet and its check character. */
function isCreditCode(code: string): boolean {
  if (code.length !== 18 || [...code].some((c) => !CODE_CHARS.includes(c))) return false;
  return creditCodeCheck(code.slice(0, 17)) === code.charAt(17);
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` at microsecond precision, the way the legacy system writes GXSJ. */
export function updateTime(day: Date, d: Draw): string {
  const t = new Date(day.getTime() + d.int(7 * 3600, 22 * 3600) * 1000);
  const date = `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
  const time = t.toISOString().slice(11, 19);
  return `${date} ${time}.${String(d.int(0, 999_999)).padStart(6, '0')}`;
}

/** A license as issued on `issued`; GXSJ defaults to a time on the issue day. */
export function newRecord(d: Draw, id: number, serial: string, issued: Date): LegacyRecord {
  const form = d.weighted(FORMS);
  const holder = businessName(d, form);
  // Valid five years: to the day before the anniversary (Date.UTC rolls 29 Feb over to 1 Mar).
  const until = new Date(
    Date.UTC(issued.getUTCFullYear() + 5, issued.getUTCMonth(), issued.getUTCDate() - 1),
  );
  return {
    ID: id,
    XKZBH: `JY2${AREA}${serial}`.padEnd(20, ' '),
    JYZMC: holder,
    TYSHXYDM: creditCode(d, holder),
    FDDBR: personName(d),
    FDDBRSFZ: residentId(d),
    JYCS: address(d),
    ZTYT: form,
    JYXM: businessItems(d, form),
    FZRQ: ymd(issued),
    YXQZ: d.chance(0.01) ? '00000000' : ymd(until),
    FZJG: ISSUER,
    ZT: d.weighted([
      ['1', 88],
      ['0', 5],
      ['2', 3],
      ['3', 4],
    ] as const),
    XZQH: AREA,
    GXSJ: updateTime(issued, d),
    YZSBH: null,
  };
}

const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2016, 0, 1);
const DAYS = (Date.UTC(2025, 11, 31) - FIRST_DAY) / DAY;

/** Opens `path` with a writable handle (the generator and updater own their database). */
export async function openWritable(path: string): Promise<import('better-sqlite3').Database> {
  const { default: Database } = await import('better-sqlite3');
  return new Database(path);
}

export function insertRecords(db: import('better-sqlite3').Database, records: readonly LegacyRecord[]): void {
  const insert = db.prepare(
    `INSERT INTO ${LEGACY_TABLE} (${LEGACY_COLUMNS.join(', ')}) VALUES (${LEGACY_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  db.transaction(() => {
    for (const r of records) insert.run(r);
  })();
}

/** The renewal pass draws from a stream of its own: every other row stays as it was drawn. */
const RENEWAL_STREAM = 0x4e3e1;
const FIVE_YEARS = 1826; // days
/** A renewal is applied for up to this many days before the old license runs out. */
const RENEWAL_WINDOW = 60;

/**
 * Renewals (延续): about three valid licenses in a hundred issued from 2021 on continue a license of
 * the same business whose five years ran out within the 60 days after it was issued. The new row
 * has a number of its own, names the old one in YZSBH and carries the old row's holder, premises
 * and business; the old row stays as it was (it expires on its own date). Only rows that map
 * cleanly are paired, and the old row is always read first (its GXSJ is earlier), so the demo's
 * counts do not move. `issuedDay` is sorted: a binary search finds the old row's issue days.
 */
function addRenewals(
  db: import('better-sqlite3').Database,
  d: Draw,
  issuedDay: Int32Array,
  renewable: Uint8Array,
): void {
  const gxsj = db.prepare(`SELECT GXSJ FROM ${LEGACY_TABLE} WHERE ID = ?`).pluck();
  const renew = db.prepare(
    `UPDATE ${LEGACY_TABLE} SET (YZSBH, JYZMC, TYSHXYDM, FDDBR, FDDBRSFZ, JYCS, ZTYT, JYXM) =
       (SELECT XKZBH, JYZMC, TYSHXYDM, FDDBR, FDDBRSFZ, JYCS, ZTYT, JYXM FROM ${LEGACY_TABLE} WHERE ID = ?)
     WHERE ID = ?`,
  );
  const taken = new Uint8Array(issuedDay.length);
  db.transaction(() => {
    for (let j = 0; j < issuedDay.length; j++) {
      if (!renewable[j] || taken[j] || !d.chance(0.03)) continue;
      const from = (issuedDay[j] as number) - FIVE_YEARS;
      if (from < 0) continue;
      let lo = 0;
      let hi = j;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((issuedDay[mid] as number) < from) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < j && (issuedDay[i] as number) <= from + RENEWAL_WINDOW; i++) {
        if (!renewable[i] || taken[i]) continue;
        if (String(gxsj.get(i + 1)) >= String(gxsj.get(j + 1))) continue;
        renew.run(i + 1, j + 1);
        taken[i] = 1;
        taken[j] = 1;
        break;
      }
    }
  })();
}

/** Rows drawn and inserted at a time: memory stays flat whatever the table's size. */
const CHUNK_ROWS = 10_000;

/** Serials are 7 digits, all different: a table cannot hold more licenses than that. */
const MAX_ROWS = 8_000_000;

export async function generateLegacyDatabase(
  path: string,
  options: {
    rows?: number;
    seed?: number;
    /** Rows of the small-catering table T_XCY_DJZ. @defaultValue 400 */
    cateringRows?: number;
    /** Called after each chunk of food-table rows is written, the last time once the file is complete. */
    onProgress?: (written: number, rows: number) => void;
  } = {},
): Promise<{ rows: number }> {
  const rows = options.rows ?? 3000;
  const seed = options.seed ?? 20201;
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > MAX_ROWS) {
    throw new RangeError(`legacy database: rows must be a whole number from 0 to ${MAX_ROWS}, got ${rows}`);
  }
  const d = draw(seed);
  // Issue days as offsets from FIRST_DAY. IDs grow with the issue date, as an auto-increment
  // column does; serials are unique.
  const issuedDay = new Int32Array(rows);
  for (let i = 0; i < rows; i++) issuedDay[i] = d.int(0, DAYS);
  issuedDay.sort();
  const serials = new Set<number>();
  while (serials.size < rows) serials.add(d.int(1_000_000, 9_999_999));
  const serialList = Int32Array.from(serials);
  const issuedOn = (i: number) => new Date(FIRST_DAY + (issuedDay[i] as number) * DAY);

  // Written to a temporary file and renamed into place once complete: an interrupted run never
  // leaves a partial database that a later run would take for the whole one.
  const tmp = `${path}.generating`;
  await Promise.all(
    ['', '-wal', '-shm', '-journal'].flatMap((s) => [
      rm(path + s, { force: true }),
      rm(tmp + s, { force: true }),
    ]),
  );
  const db = await openWritable(tmp);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(LEGACY_DDL);
    // Rows are drawn in ID order, a chunk at a time; the later passes below draw from the same
    // sequence after every row is drawn, so they only need each row's status, kept here.
    const notValid = new Uint8Array(rows);
    // Rows a renewal may continue or be (below): valid, with a well-formed credit code and an end date.
    const renewable = new Uint8Array(rows);
    for (let from = 0; from < rows; from += CHUNK_ROWS) {
      const chunk: LegacyRecord[] = [];
      for (let i = from; i < Math.min(rows, from + CHUNK_ROWS); i++) {
        const r = newRecord(d, i + 1, String(serialList[i]), issuedOn(i));
        if (r.ZT !== '1') notValid[i] = 1;
        else if (r.YXQZ !== '00000000' && isCreditCode(r.TYSHXYDM)) renewable[i] = 1;
        chunk.push(r);
      }
      insertRecords(db, chunk);
      // The last report waits for the passes below: a million rows' update times take a while.
      if (from + chunk.length < rows) options.onProgress?.(from + chunk.length, rows);
    }
    const updated = new Map<number, string>(); // ID → GXSJ
    // A revocation, suspension or cancellation is an edit: it moves GXSJ past the issue day.
    const lastDay = FIRST_DAY + DAYS * DAY;
    for (let i = 0; i < rows; i++) {
      if (!notValid[i]) continue;
      const issuedAt = issuedOn(i).getTime();
      updated.set(i + 1, updateTime(new Date(Math.min(lastDay, issuedAt + d.int(30, 1500) * DAY)), d));
    }
    // Batch jobs (a migration, a yearly re-check) stamp one GXSJ on every row they touch; about
    // 40% of rows carry one of a dozen batch times, so equal cursors span page boundaries.
    const batches = Array.from({ length: 12 }, (_, i) =>
      updateTime(new Date(FIRST_DAY + Math.floor(((i + 1) * DAYS) / 12) * DAY), d),
    ).sort();
    const batchDays = batches.map((b) => b.slice(0, 10).replaceAll('-', ''));
    for (let i = 0; i < rows; i++) {
      const issued = ymd(issuedOn(i));
      const later = batches.filter((_, k) => (batchDays[k] as string) > issued);
      if (later.length > 0 && d.chance(0.4)) updated.set(i + 1, d.pick(later));
    }
    const setTime = db.prepare(`UPDATE ${LEGACY_TABLE} SET GXSJ = ? WHERE ID = ?`);
    db.transaction(() => {
      for (const [id, time] of updated) setTime.run(time, id);
    })();
    addRenewals(db, draw((seed ^ RENEWAL_STREAM) >>> 0), issuedDay, renewable);
    // A stream of its own: the food table's rows stay the same whatever this table draws.
    const catering = cateringRecords(draw((seed ^ CATERING_STREAM) >>> 0), options.cateringRows ?? 400);
    db.exec(CATERING_DDL);
    const insert = db.prepare(
      `INSERT INTO ${CATERING_TABLE} (${CATERING_COLUMNS.join(', ')}) VALUES (${CATERING_COLUMNS.map(() => '?').join(', ')})`,
    );
    db.transaction(() => {
      for (const r of catering) insert.run(...CATERING_COLUMNS.map((c) => r[c]));
    })();
    for (const ddl of LEGACY_INDEXES) db.exec(ddl);
  } catch (e) {
    db.close();
    await rm(tmp, { force: true });
    throw e;
  }
  db.close();
  await rename(tmp, path);
  options.onProgress?.(rows, rows);
  return { rows };
}
