/**
 * Generated personal data (Han and pinyin names, resident ID numbers with right and wrong check
 * chars, 15-digit ones, mobile numbers in their writings, passport and travel permit numbers) set
 * in the texts an error or a log line carries them in: database drivers' messages quoting a row's
 * value (PostgreSQL, MySQL, SQL Server, Oracle), JSON, XML, a URL's query (plain and
 * percent-encoded), a CSV line, Chinese punctuation. Each goes through an error's text
 * (safeErrorText, failureMessage, errorLine) and a log line (an error logged, a field, a
 * message), and none may come out whole. A name is hidden where it is quoted or follows a label
 * saying it is one (`持证人：…`, `holder: …`); a number wherever it stands. Seeded, so a failure names a case that can be run again.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { ErrorCodes, errorLine, failureMessage, LicbridgeError } from '../../core/errors.js';
import { mulberry32 } from '../../core/seeded-random.js';
import { lineLogger } from '../support/log-lines.js';

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const DIGITS = '0123456789'.split('');
const digits = (r: Random, n: number): string => Array.from({ length: n }, () => pick(r, DIGITS)).join('');
const between = (r: Random, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

// Made-up names: characters that are rare in names, so none is anyone's.
const SURNAMES = ['测', '试', '样', '例', '演'];
const GIVEN = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛'];
const PINYIN = ['Ceshi', 'Yangli', 'Yanshi', 'Jiayi', 'Bingding'];

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChar = (body: string): string =>
  '10X98765432'[WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11] as string;

interface Secret {
  kind: string;
  /** As written in the text. */
  text: string;
  /** What must not come out: a run of its characters, compared without separators. */
  core: string;
}

function residentId(r: Random): Secret {
  const area = `${between(r, 11, 65)}${pad(between(r, 1, 99), 2)}${pad(between(r, 1, 30), 2)}`;
  const birth = `${between(r, 1930, 2023)}${pad(between(r, 1, 12), 2)}${pad(between(r, 1, 28), 2)}`;
  const body = `${area}${birth}${digits(r, 3)}`;
  const right = checkChar(body);
  const check =
    r() < 0.5
      ? right
      : pick(
          r,
          [...DIGITS, 'X'].filter((c) => c !== right),
        );
  const id = `${body}${r() < 0.2 ? check.toLowerCase() : check}`;
  const written = pick(r, [
    id,
    id,
    `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`,
    `${id.slice(0, 6)}-${id.slice(6, 14)}-${id.slice(14)}`,
  ]);
  return { kind: `id (${check === right ? 'right' : 'wrong'} check)`, text: written, core: id.slice(4, 14) };
}

function oldResidentId(r: Random): Secret {
  const id = `${between(r, 11, 65)}${pad(between(r, 1, 99), 2)}${pad(between(r, 1, 30), 2)}${pad(between(r, 30, 98), 2)}${pad(between(r, 1, 12), 2)}${pad(between(r, 1, 28), 2)}${digits(r, 3)}`;
  return { kind: '15-digit id', text: id, core: id.slice(4, 11) };
}

function mobile(r: Random): Secret {
  const n = `1${pick(r, ['3', '4', '5', '6', '7', '8', '9'])}${digits(r, 9)}`;
  const written = pick(r, [
    n,
    `+86${n}`,
    `+86 ${n}`,
    `0086${n}`,
    `(+86)${n}`,
    `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
    `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`,
  ]);
  return { kind: 'mobile', text: written, core: n.slice(0, 7) };
}

function passport(r: Random): Secret {
  const n = pick(r, [
    `E${digits(r, 8)}`,
    `G${digits(r, 8)}`,
    `E${pick(r, ['A', 'B', 'C', 'H', 'K', 'M', 'R', 'Z'])}${digits(r, 7)}`,
    `e${digits(r, 8)}`,
    `D${digits(r, 7)}`,
    `S${digits(r, 8)}`,
    `P${digits(r, 7)}`,
    `H${digits(r, 8)}`,
    `M${digits(r, 10)}`,
    `${pick(r, ['D', 'S', 'P'])}E${digits(r, 7)}`,
    `${pick(r, ['S', 'P'])}.${digits(r, 7)}`,
    `K${digits(r, 8)}`,
    `MA${digits(r, 7)}`,
  ]);
  return { kind: 'passport or permit', text: n, core: n.slice(1, 8) };
}

const NUMBERS = [residentId, residentId, oldResidentId, mobile, passport];

const fullWidth = (s: string): string =>
  s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** A number as a form, a paste or a legacy column may hold it: as typed, full-width, a zero-width space inside. */
function written(r: Random, n: Secret): Secret {
  const how = r();
  if (how < 0.15) return { ...n, kind: `${n.kind}, full-width`, text: fullWidth(n.text) };
  if (how < 0.3) {
    const at = between(r, 2, n.text.length - 2);
    return {
      ...n,
      kind: `${n.kind}, zero-width inside`,
      text: `${n.text.slice(0, at)}\u200B${n.text.slice(at)}`,
    };
  }
  return n;
}

function name(r: Random): { text: string; core: string } {
  if (r() < 0.6) {
    const han = `${pick(r, SURNAMES)}${pick(r, GIVEN)}${r() < 0.5 ? pick(r, GIVEN) : ''}`;
    return { text: han, core: han.slice(1) };
  }
  const given = pick(r, PINYIN);
  return { text: `${pick(r, ['Zhang', 'Li', 'Wang'])} ${given}`, core: given };
}

/**
 * Texts that write a name after a label saying it is one, as a platform's reason or a log line's
 * free text does: the name is looked for in a log line's fields and message too.
 */
const LABELLED: readonly ((v: string, n: string) => string)[] = [
  (v, n) => `持证人：${n}，证件号码：${v}`,
  (v, n) => `platform reason: 姓名=${n}&zjhm=${v}`,
  (v, n) => `holder: ${n}, id ${v}`,
  (v, n) => `{"holderName":"${n}","holderId":"${v}"}`,
];

/**
 * A platform's validation message written `field：problem` after a label a name follows too: no
 * name is in it, and it must come out whole, for an operator to see what to fix.
 */
const REASON_LABELS = [
  '持证人',
  '联系人',
  '法定代表人',
  '姓名',
  '申请人',
  '负责人',
  'holder',
  'holderName',
  'xm',
];
const REASON_SIGNS = ['：', ':', ': ', '='];
const REASON_PROBLEMS = [
  '不能为空',
  '手机号格式不正确',
  '与营业执照不一致',
  '长度不能超过50个字符',
  '未实名认证',
  '信息缺失',
  '必填',
  '格式错误',
  '证件号码有误',
  'Required',
  'Invalid format',
  'Must not be empty',
  'LB_SOURCE_SCHEMA',
  // A check against other records, the field's name again, and English ones opening with a noun.
  '比对不一致',
  '经核查与公安库不一致',
  '人像比对不通过',
  '所填姓名与证件不一致',
  '值不能为空',
  '持证人名称不能为空',
  'Name must not be empty',
  'Verification failed',
  'ID mismatch',
];

/**
 * A name run on into a message's words after its label (`持证人：测甲乙手机号格式错误`, `holder: Max
 * Ceshi is not registered`): the default is to hide what no message opens with. The words are
 * drawn from characters no generated name holds, and a run is at least three long, so that it is
 * never a short `field：problem` reason itself.
 */
const MESSAGE_CHARS = Array.from(
  '手机号码电话格式错误有误请核对年龄超限和及地址信息不一致已存在登记性别出生日期住所职务身份证件比验公安',
);
/**
 * Surnames that are the first character of a message's opening word (经核, 公安, 比对, 要求, 主体,
 * 尚未, 长孙 beside 长度): a name with one is still a name.
 */
const MESSAGE_WORD_SURNAMES = [
  '经',
  '公孙',
  '比',
  '要',
  '主',
  '所',
  '当',
  '生',
  '应',
  '于',
  '查',
  '尚',
  '长孙',
];
const FIRST_NAMES = ['Max', 'Will', 'Mark', 'Nil', 'Ceshi'];
function namedMessage(r: Random): { text: string; core: readonly string[] } {
  const sign = pick(r, REASON_SIGNS);
  if (r() < 0.6) {
    const surname = pick(r, r() < 0.5 ? SURNAMES : MESSAGE_WORD_SURNAMES);
    const han = `${surname}${pick(r, GIVEN)}${r() < 0.5 ? pick(r, GIVEN) : ''}`;
    const words = Array.from({ length: between(r, 3, 12) }, () => pick(r, MESSAGE_CHARS)).join('');
    return { text: `${pick(r, REASON_LABELS.slice(0, 6))}${sign}${han}${words}`, core: [han.slice(1)] };
  }
  const first = pick(r, FIRST_NAMES);
  const last = pick(r, PINYIN);
  const rest = pick(r, ['', ' is not registered', ', 证件号码有误', ' Phone Wrong', ' Required']);
  return { text: `${pick(r, REASON_LABELS.slice(6, 8))}${sign}${first} ${last}${rest}`, core: [first, last] };
}

/** Texts that quote a value as drivers, platforms and files do: `v` a number, `n` a name. */
const QUOTING: readonly ((v: string, n: string) => string)[] = [
  // PostgreSQL
  (v) => `duplicate key value violates unique constraint "uk_holder" Key (holder_id)=(${v}) already exists.`,
  (v, n) => `Key (holder_name, holder_id)=(${n}, ${v}) already exists.`,
  (v) => `invalid input syntax for type bigint: "${v}"`,
  (_v, n) => `invalid input value for enum xb: "${n}"`,
  (v, n) =>
    `new row for relation "t_xk" violates check constraint "ck_x" Failing row contains (7, ${n}, ${v}, null).`,
  (v, n) =>
    `null value in column "fzrq" of relation "t_xk" violates not-null constraint DETAIL: Failing row contains (${v}, ${n}, null).`,
  // MySQL / MariaDB
  (v) => `ER_DUP_ENTRY: Duplicate entry '${v}' for key 'uk_holder'`,
  (v, n) => `Duplicate entry '${n}-${v}' for key 't_xk.uk_holder'`,
  (v) => `Incorrect integer value: '${v}' for column 'nl' at row 1`,
  (_v, n) => `Truncated incorrect DOUBLE value: '${n}'`,
  // SQL Server
  (v) =>
    `Violation of UNIQUE KEY constraint 'uk_holder'. Cannot insert duplicate key in object 'dbo.T_XK'. The duplicate key value is (${v}).`,
  (_v, n) => `Conversion failed when converting the nvarchar value '${n}' to data type int.`,
  (v, n) =>
    `String or binary data would be truncated in table 'lic.dbo.T_XK', column 'XM'. Truncated value: '${n}，${v}'.`,
  // Oracle
  (v) => `ORA-01722: invalid number: '${v}'`,
  (v) =>
    `ORA-00001: unique constraint (LB.UK_HOLDER) violated on table LB.T_XK columns (HOLDER_ID) ORA-03301: (ORA-00001 details) row with column values (HOLDER_ID:'${v}') already exists`,
  (v, n) => `ORA-01400: cannot insert NULL into ("LB"."T_XK"."FZRQ") row (XM:'${n}', SFZH:'${v}')`,
  (v) => `Partition key of the failing row contains (holder_id) = (${v}).`,
  (v) =>
    `Cannot insert duplicate key row in object 'dbo.T_XK' with unique index 'ix_holder'. The duplicate key value is (${v}, 2024).`,
  (_v, n) =>
    `Incorrect string value: '${Array.from(Buffer.from(n), (b) => `\\x${b.toString(16).toUpperCase()}`).join('')}' for column 'xm' at row 1`,
  // JSON, XML, a URL, CSV, Chinese punctuation
  (v, n) => `platform answered 400: {"holder":{"name":"${n}","id":"${v}"},"error":"bad id"}`,
  (v, n) => `platform answered 400: {\\"holder\\":{\\"name\\":\\"${n}\\",\\"id\\":\\"${v}\\"}}`,
  (v, n) => `SOAP fault: <holder name="${n}" id="${v}"/> rejected`,
  (v, n) => `request to https://gw.example.test/verify?name=${encodeURIComponent(n)}&id=${v}&x=1 failed: 502`,
  (v, n) =>
    `request to https://gw.example.test/verify?q=${encodeURIComponent(`id=${v}&name=${n}`)} failed: 502`,
  (v, n) => `row 12: "${n}","${v}",2024-01-05`,
  (v, n) => `持证人「${n}」证件号码：${v}，与登记不符`,
  (v, n) => `持证人“${n}”（${v}）已存在`,
  (v, n) => `证件号码【${v}】与姓名《${n}》不一致`,
  (v) => `证件号码：${v}。`,
  (v) => `holder ${v} not found`,
  (v) => `<sfzh>${v}</sfzh> invalid`,
  (v, n) => `HTTP 409: <p>Duplicate entry &#39;${n}&#39; for holder &quot;${v}&quot;</p>`,
  (v, n) => `answer: "{\\u0022name\\u0022:\\u0022${n}\\u0022,\\u0022id\\u0022:\\u0022${v}\\u0022}"`,
  (v) => `GET /holders?id%3D${v} 404`,
  (v) => `key "\\u0000${v}" refused`,
  (v) => `record key ID_${v}: no row`,
  (v) => `记录键证件${v}：无此行`,
  (v, n) => `cut at 40: holder "${n} ${v}`,
  (v, n) => `姓名「${n} ${v}`,
  // A quote glued after a number: an inch mark before a quoted value, a value glued to a row's number
  (v, n) => `size 10" holder "${n}" id ${v}`,
  (v, n) => `cut at 40: row 3"${n} ${v}`,
  (v, n) => `row 3'${n}' id ${v}`,
  // Values after =( with no space: a key of a range, a statement cut short
  (v, n) =>
    `Key (holder_id, holder_name, period)=(${v}, ${n}, [2024-01-01,2025-01-01)) conflicts with existing key (holder_id, holder_name, period)=(${v}, ${n}, [2024-06-01,2025-06-01)).`,
  (v, n) => `insert into t_xk values=('${n}', '${v}'`,
  ...LABELLED,
];

/** The output as compared: half-width, without separators or what shows nothing. */
const plain = (s: string): string =>
  s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-_./\u00AD\u200B-\u200F\u2060\uFEFF]/g, '');

interface Shown {
  path: string;
  text: string;
}

// One logger for every case, its lines emptied before each write: making one (pino and its
// redaction) for each text was ~160 ms of this file's ~1.4 s of CPU.
const { logger, lines } = lineLogger();
const log = (path: string, f: () => void): Shown => {
  lines.length = 0;
  f();
  return { path, text: lines.join('\n').replace(/"time":"[^"]*"/g, '') };
};

function shownEverywhere(text: string): Shown[] {
  return [
    { path: 'safeErrorText', text: safeErrorText(text) },
    { path: 'failureMessage', text: failureMessage(new Error(text)).message },
    {
      path: 'errorLine',
      text: errorLine(new LicbridgeError(ErrorCodes.SOURCE_QUERY, `source legacy: query failed: ${text}`)),
    },
    {
      path: 'licbridge error, numbers by shape',
      text: failureMessage(new LicbridgeError(ErrorCodes.SOURCE_QUERY, text), { numbers: 'shapes' }).message,
    },
    log('log: err', () => logger.error({ err: new Error(text) }, 'query failed')),
    log('log: error alone', () => logger.warn(new Error(text))),
    log('log: cause', () => logger.error({ err: new Error('read failed', { cause: text }) }, 'read failed')),
    log('log: err as a plain object', () => logger.warn({ err: { message: text } }, 'queue: error')),
  ];
}

/** Log paths that mask by shape only: a name is no shape, so only the numbers are looked for there. */
function shownByShape(text: string): Shown[] {
  return [
    log('log: field', () => logger.info({ reason: text }, 'rejected')),
    log('log: message', () => logger.info('rejected: %s', text)),
  ];
}

const CASES = 400;

describe('generated personal data in error texts and log lines', () => {
  it(`hides every number and every quoted name (${CASES} seeded cases)`, () => {
    const leaks: string[] = [];
    for (let seed = 1; seed <= CASES; seed++) {
      const r = mulberry32(seed);
      const number = written(r, pick(r, NUMBERS)(r));
      const who = name(r);
      const template = QUOTING[seed % QUOTING.length] as (v: string, n: string) => string;
      const text = template(number.text, who.text);
      const uses = template('\u0000', '\u0001');
      // A URL's query holds them percent-encoded; a name there in ASCII (pinyin) has nothing to
      // tell it from any other value, and is looked for only in Han.
      const hasNumber = uses.includes('\u0000') || uses.includes('%00');
      const named = uses.includes('\u0001') || (uses.includes('%01') && /[\u0080-\uffff]/.test(who.text));
      const check = (shown: Shown, lookForName: boolean) => {
        const out = plain(shown.text);
        if (hasNumber && out.includes(plain(number.core)))
          leaks.push(`seed ${seed} ${shown.path}: ${number.kind} ${number.text} in ${shown.text}`);
        const encoded = encodeURIComponent(who.core);
        if (lookForName && named && (shown.text.includes(who.core) || shown.text.includes(encoded)))
          leaks.push(`seed ${seed} ${shown.path}: name ${who.text} in ${shown.text}`);
      };
      for (const shown of shownEverywhere(text)) check(shown, true);
      for (const shown of shownByShape(text)) check(shown, LABELLED.includes(template));
    }
    expect(leaks).toEqual([]);
  });

  it(`keeps a platform's field：problem reason readable (${CASES} seeded cases)`, () => {
    const hidden: string[] = [];
    for (let seed = 1; seed <= CASES; seed++) {
      const r = mulberry32(seed);
      const reason = `${pick(r, REASON_LABELS)}${pick(r, REASON_SIGNS)}${pick(r, REASON_PROBLEMS)}`;
      const text = pick(r, [reason, `platform refused: ${reason}`, `${reason}；${reason}`]);
      for (const shown of [{ path: 'safeErrorText', text: safeErrorText(text) }, ...shownByShape(text)])
        if (!shown.text.includes(text))
          hidden.push(`seed ${seed} ${shown.path}: ${text} shown as ${shown.text}`);
    }
    expect(hidden).toEqual([]);
  });

  it(`hides a name run on into a message after its label (${CASES} seeded cases)`, () => {
    const leaks: string[] = [];
    for (let seed = 1; seed <= CASES; seed++) {
      const who = namedMessage(mulberry32(seed));
      for (const shown of [...shownEverywhere(who.text), ...shownByShape(who.text)])
        for (const core of who.core)
          if (new RegExp(`(?<![A-Za-z])${core}(?![a-z])`).test(shown.text))
            leaks.push(`seed ${seed} ${shown.path}: ${who.text} shown as ${shown.text}`);
    }
    expect(leaks).toEqual([]);
  });
});
