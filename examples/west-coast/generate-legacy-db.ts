/**
 * Generates the demo department's legacy database: the food business licenses of 青岛西海岸新区
 * 市场监督管理局 (area 370211), as an old system keeps them — CHAR padding, `yyyyMMdd` text dates,
 * `00000000` for "no expiry", a few broken credit codes, lowercase `x` in ID numbers, and batch
 * updates that give many rows the same GXSJ — and, in a second table, its small-catering
 * registrations (`T_XCY_DJZ`), with quirks of their own. Deterministic from the seed.
 */
import { rm } from 'node:fs/promises';
import {
  AREA,
  address,
  type BusinessForm,
  businessItems,
  businessName,
  cateringItems,
  DASHED_FROM,
  type Draw,
  draw,
  FORMS,
  ISSUER,
  impossibleDay,
  personName,
  registryDate,
  registryTime,
  shopSign,
} from './legacy-records.js';

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
  GXSJ TEXT
)`;

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

/** GB 11643 check character over the first 17 digits (same as catalog's `residentIdCheckChar`). */
function idNumberCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (weights[i] ?? 0);
  return '10X98765432'.charAt(sum % 11);
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

const ymd = (t: Date): string =>
  `${t.getUTCFullYear()}${String(t.getUTCMonth() + 1).padStart(2, '0')}${String(t.getUTCDate()).padStart(2, '0')}`;

/** A resident ID of the district: real birth date 1950–2000, valid check, ~3% with lowercase `x`. */
export function residentId(d: Draw): string {
  const lowercaseX = d.chance(0.03);
  for (;;) {
    const birth = new Date(Date.UTC(1950, 0, 1) + d.int(0, 18627) * 86_400_000); // to 2000-12-31
    const first17 = `${AREA}${ymd(birth)}${String(d.int(1, 999)).padStart(3, '0')}`;
    const check = idNumberCheck(first17);
    // Forcing an `X` check needs another draw of the sequence number; others keep the first.
    if (!lowercaseX) return first17 + check;
    if (check === 'X') return `${first17}x`;
  }
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
    `INSERT INTO ${LEGACY_TABLE} (${LEGACY_COLUMNS.join(', ')}) VALUES (${LEGACY_COLUMNS.map(() => '?').join(', ')})`,
  );
  db.transaction(() => {
    for (const r of records) insert.run(...LEGACY_COLUMNS.map((c) => r[c]));
  })();
}

export async function generateLegacyDatabase(
  path: string,
  options: {
    rows?: number;
    seed?: number;
    /** Rows of the small-catering table T_XCY_DJZ. @defaultValue 400 */
    cateringRows?: number;
  } = {},
): Promise<{ rows: number }> {
  const rows = options.rows ?? 3000;
  const seed = options.seed ?? 20201;
  const d = draw(seed);
  const issued = Array.from({ length: rows }, () => new Date(FIRST_DAY + d.int(0, DAYS) * DAY));
  // IDs grow with the issue date, as an auto-increment column does; serials are unique.
  issued.sort((a, b) => a.getTime() - b.getTime());
  const serials = new Set<string>();
  while (serials.size < rows) serials.add(String(d.int(1_000_000, 9_999_999)));
  const serialList = [...serials];
  const records = issued.map((day, i) => newRecord(d, i + 1, serialList[i] ?? '', day));
  // A revocation, suspension or cancellation is an edit: it moves GXSJ past the issue day.
  const lastDay = FIRST_DAY + DAYS * DAY;
  for (const r of records) {
    if (r.ZT === '1') continue;
    const issuedAt = Date.parse(`${r.FZRQ.slice(0, 4)}-${r.FZRQ.slice(4, 6)}-${r.FZRQ.slice(6)}T00:00:00Z`);
    r.GXSJ = updateTime(new Date(Math.min(lastDay, issuedAt + d.int(30, 1500) * DAY)), d);
  }
  // Batch jobs (a migration, a yearly re-check) stamp one GXSJ on every row they touch; about
  // 40% of rows carry one of a dozen batch times, so equal cursors span page boundaries.
  const batches = Array.from({ length: 12 }, (_, i) =>
    updateTime(new Date(FIRST_DAY + Math.floor(((i + 1) * DAYS) / 12) * DAY), d),
  ).sort();
  for (const r of records) {
    const later = batches.filter((b) => b.slice(0, 10).replaceAll('-', '') > r.FZRQ);
    if (later.length > 0 && d.chance(0.4)) r.GXSJ = d.pick(later);
  }
  // A stream of its own: the food table's rows stay the same whatever this table draws.
  const catering = cateringRecords(draw((seed ^ CATERING_STREAM) >>> 0), options.cateringRows ?? 400);
  await Promise.all(['', '-wal', '-shm', '-journal'].map((s) => rm(path + s, { force: true })));
  const db = await openWritable(path);
  try {
    db.exec(LEGACY_DDL);
    insertRecords(db, records);
    db.exec(CATERING_DDL);
    const insert = db.prepare(
      `INSERT INTO ${CATERING_TABLE} (${CATERING_COLUMNS.join(', ')}) VALUES (${CATERING_COLUMNS.map(() => '?').join(', ')})`,
    );
    db.transaction(() => {
      for (const r of catering) insert.run(...CATERING_COLUMNS.map((c) => r[c]));
    })();
  } finally {
    db.close();
  }
  return { rows };
}

// ——— T_XCY_DJZ: small-catering registrations (小餐饮登记证) ———

export const CATERING_TABLE = 'T_XCY_DJZ';

// XOR-ed into the seed: the catering table draws from a PRNG stream of its own.
const CATERING_STREAM = 0xca7e4;

/**
 * Declared the way this registry's vendor did it: a row number as key and every other column
 * text, dates included. XH 序号 · DJZBH 登记证编号 (`XCY` + area + year + sequence, CHAR-padded,
 * some typed lowercase) · JYZXM 经营者姓名 (the holder, a natural person) · SFZHM 身份证号码 (some
 * with lowercase `x`, some old 15-digit numbers, a few mistyped) · ZH 字号 (empty when the shop
 * has no sign) · JYCS 经营场所 · JYXM 经营项目 (joined by `、`) · CYRS 从业人数 · DJRQ 登记日期 and
 * YXQZ 有效期至 (`yyyy/M/d` before the 2022-07 upgrade, `yyyy-MM-dd` after; a few impossible
 * dates) · FZJG 发证机关 · ZTDM 状态代码 (01 正常, 02 注销, 03 吊销, 04 停业) · XZQH 行政区划 ·
 * GXSJ 更新时间 to the second, so batch edits share one value.
 */
export const CATERING_DDL = `CREATE TABLE ${CATERING_TABLE} (
  XH INTEGER PRIMARY KEY,
  DJZBH CHAR(20),
  JYZXM VARCHAR(50),
  SFZHM CHAR(18),
  ZH VARCHAR(100),
  JYCS VARCHAR(300),
  JYXM VARCHAR(200),
  CYRS VARCHAR(4),
  DJRQ VARCHAR(10),
  YXQZ VARCHAR(10),
  FZJG VARCHAR(100),
  ZTDM CHAR(2),
  XZQH CHAR(6),
  GXSJ VARCHAR(19)
)`;

export const CATERING_COLUMNS = [
  'XH',
  'DJZBH',
  'JYZXM',
  'SFZHM',
  'ZH',
  'JYCS',
  'JYXM',
  'CYRS',
  'DJRQ',
  'YXQZ',
  'FZJG',
  'ZTDM',
  'XZQH',
  'GXSJ',
] as const;

export type CateringRecord = { XH: number } & Record<
  Exclude<(typeof CATERING_COLUMNS)[number], 'XH'>,
  string
>;

const CATERING_FIRST_DAY = Date.UTC(2018, 0, 1);
const CATERING_DAYS = (Date.UTC(2025, 11, 31) - CATERING_FIRST_DAY) / DAY;

/**
 * An operator's ID number as the registry holds it: mostly valid 18-digit numbers (3% with a
 * lowercase `x`), 3% pre-1999 15-digit numbers padded to CHAR(18), and 2% with a mistyped
 * check char — the rows that must be quarantined, never published.
 */
function operatorId(d: Draw): string {
  const roll = d.next();
  if (roll < 0.03) {
    // 15 digits: area, yyMMdd birth (born 1950–1979), 3-digit sequence; no check char.
    const birth = new Date(Date.UTC(1950, 0, 1) + d.int(0, 10956) * DAY);
    const ymd6 = ymd(birth).slice(2);
    return `${AREA}${ymd6}${String(d.int(1, 999)).padStart(3, '0')}`.padEnd(18, ' ');
  }
  const id = residentId(d);
  if (roll >= 0.05) return id;
  const check = id.charAt(17).toUpperCase();
  const others = '0123456789X'.replace(check, '');
  return id.slice(0, 17) + others.charAt(d.int(0, others.length - 1));
}

function cateringRecords(d: Draw, rows: number): CateringRecord[] {
  const days = Array.from(
    { length: rows },
    () => new Date(CATERING_FIRST_DAY + d.int(0, CATERING_DAYS) * DAY),
  ).sort((a, b) => a.getTime() - b.getTime());
  const perYear = new Map<number, number>();
  const records = days.map((day, i): CateringRecord => {
    const year = day.getUTCFullYear();
    const seq = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, seq);
    const dashed = day.getTime() >= DASHED_FROM;
    const until = new Date(Date.UTC(year + 3, day.getUTCMonth(), day.getUTCDate() - 1));
    const operator = personName(d);
    // About 1% typed a day the month does not have; the expiry was computed from the true date.
    const [m, dd] = d.chance(0.01) ? impossibleDay(d) : [day.getUTCMonth() + 1, day.getUTCDate()];
    const number = `XCY${AREA}${year}${String(seq).padStart(4, '0')}`;
    return {
      XH: i + 1,
      DJZBH: (d.chance(0.04) ? number.toLowerCase() : number).padEnd(20, ' '),
      JYZXM: operator,
      SFZHM: operatorId(d),
      ZH: shopSign(d, operator),
      JYCS: address(d),
      JYXM: cateringItems(d),
      CYRS: String(d.int(1, 8)),
      DJRQ: registryDate(year, m, dd, dashed),
      YXQZ: registryDate(until.getUTCFullYear(), until.getUTCMonth() + 1, until.getUTCDate(), dashed),
      FZJG: ISSUER,
      ZTDM: d.weighted([
        ['01', 85],
        ['02', 8],
        ['03', 3],
        ['04', 4],
      ] as const),
      XZQH: AREA,
      GXSJ: registryTime(day, d),
    };
  });
  // A cancellation, revocation or closure is an edit some months later.
  const lastDay = CATERING_FIRST_DAY + CATERING_DAYS * DAY;
  records.forEach((r, i) => {
    if (r.ZTDM === '01') return;
    const day = (days[i] as Date).getTime();
    r.GXSJ = registryTime(new Date(Math.min(lastDay, day + d.int(60, 900) * DAY)), d);
  });
  // The yearly re-check (年度核查) stamps one time on each registration it touches: to the second,
  // so about a third of the rows share one of six values.
  const checks = [2019, 2020, 2021, 2022, 2023, 2024].map((y) =>
    registryTime(new Date(Date.UTC(y, 11, 20)), d),
  );
  records.forEach((r, i) => {
    const later = checks.filter(
      (c) => Date.parse(`${c.slice(0, 10)}T00:00:00Z`) > (days[i] as Date).getTime(),
    );
    if (r.ZTDM === '01' && later.length > 0 && d.chance(0.35)) r.GXSJ = d.pick(later);
  });
  return records;
}
