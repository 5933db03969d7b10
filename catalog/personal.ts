/**
 * Which license paths hold personal data, and how a value at such a path is shown in a reason or
 * message. The ledger keeps quarantine reasons for years; they must never hold a full ID number
 * or a full name of a natural person.
 *
 * Personal data is a natural person's (PIPL art. 4): a legal person's name and unified social
 * credit code are public registration data (GB 32100), shown in clear. A holder is a legal person
 * when its id type is an organisation's (`001` credit code, `099` other organisation code, GB/T
 * 36903 annex A) and its id has no resident ID number's shape; any other or unknown id type counts
 * as a natural person's.
 */
import { maskContact, maskId, maskName } from '../core/mask.js';
import { maskNumberShapes, maskPersonalShapes } from '../core/personal-shapes.js';
import { isValidUscc, ORGANISATION_ID_TYPES } from './holder-id.js';

/**
 * ID and mobile numbers by their shape (maskPersonalShapes), and with passport and travel permit
 * numbers too (maskNumberShapes: a source's record key as a report, a worklist page or a finding
 * shows it), in core (core/personal-shapes.ts) so that an error's text is masked by the same
 * shapes as a reason; named here too, beside showValue, for the catalog's readers.
 */
export { maskNumberShapes, maskPersonalShapes };

/** True when the holder id type names a legal person or other organisation. */
export function isLegalPersonIdType(idType: unknown): boolean {
  return typeof idType === 'string' && (ORGANISATION_ID_TYPES as readonly string[]).includes(idType);
}

// A resident ID number's shape, whatever its birth date and check char say: 15 digits (GB
// 11643-1989) or 17 digits and a digit or X. A person's number with a slip in it has this shape too.
const RESIDENT_ID_SHAPE = /^(?:[0-9]{15}|[0-9]{17}[0-9X])$/i;
// 17 digits and another letter: a person's check char mistyped, or a credit code's. Only a code
// passing GB 32100 is taken for one (holderIdType types the others 111); in doubt, masked.
const DIGITS_AND_LETTER = /^[0-9]{17}[A-Z]$/i;

const halfWidthChar = (ch: string): string => String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
// Spaces (either width, `\s` holding the no-break, thin, en and narrow no-break ones) and dashes
// between a number's groups, as forms and scans print it (`110105 19491231 002X`,
// `110105-19491231-002X`, or both), and the `_`, `.` and `/` that part them for masking too
// (core/personal-shapes.ts): the number is its characters alone.
const GROUP_SEPARATORS = /[\s\u3000\-\uFF0D\u2010-\u2015_./\uFF0E\uFF3F]+/g;

/**
 * True for a holder id of a resident ID number's shape (15 or 18 chars, full-width too, written in
 * groups too): 17 digits and a letter other than X count unless they are a credit code with its
 * right check char.
 */
export function hasResidentIdShape(id: unknown): boolean {
  if (typeof id === 'number' || typeof id === 'bigint') return RESIDENT_ID_SHAPE.test(String(id));
  if (typeof id !== 'string') return false;
  const text = id
    .replace(GROUP_SEPARATORS, '')
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, halfWidthChar);
  if (RESIDENT_ID_SHAPE.test(text)) return true;
  return DIGITS_AND_LETTER.test(text) && !isValidUscc(text.toUpperCase());
}

/**
 * True for a holder id that is a person's: of a resident ID number's shape (hasResidentIdShape), or
 * holding a number a person is known by where maskNumberShapes finds one: a resident ID number
 * among other words, as legacy systems keep the document's type with it (`身份证110101…`,
 * `110101…（身份证）`), a PRC passport or Hong Kong/Macao travel permit number (a sole trader
 * registered under one), or a mobile number.
 */
export function isPersonHolderId(id: unknown): boolean {
  return hasResidentIdShape(id) || (typeof id === 'string' && maskNumberShapes(id) !== id);
}

/**
 * True when a holder's name and id are shown in clear: its id type is an organisation's and its id
 * has no resident ID number's shape. The type may be a guess (the `holderIdType` transform reads a
 * 15-digit number with no birth date, or an 18-digit one failing GB 11643 but passing GB 32100, as
 * an organisation's): a person's number with a mistyped birth date or check char would then be
 * shown whole. Masking an organisation's 15-digit registration number or all-digit credit code (and
 * its name) costs nothing but a look with `--show-personal`.
 */
export function isLegalPersonHolder(idType: unknown, id: unknown): boolean {
  return isLegalPersonIdType(idType) && !isPersonHolderId(id);
}

// Face fields are free-form per license type; these name parts mark a person or a person's document
// (a passport's or travel permit's too: a foreign passport's number has no shape to mask it by).
const PERSONAL_SEGMENT =
  /(representative|legalperson|principal|operator|contact|person|owner|holder|name|idnumber|idcard|idno|residentid|sfz|id|passport|passportno|passportnumber|phone|mobile)$/i;

// Legacy columns and face fields are often named in pinyin initials (GB/T 16159 romanisation):
// 法定代表人 fddbr, 法人 fr, 负责人 fzr, 经营者 jyz, 联系人 lxr, 经办人 jbr, 申请人 sqr, 投资人 tzr,
// optionally followed by the document or detail: 姓名 xm, 身份证号(码) sfzh/sfzhm, 身份证件号码
// sfzjhm, 证件号(码) zjh/zjhm, 联系电话 lxdh, 电话 dh, 手机号(码) sjh/sjhm, 移动电话 yddh. Matched as
// the whole segment, not as an ending: `jyxm` (经营项目, business items) is no name.
const PINYIN_PERSON = '(?:fddbr|fddb|frdb|fr|fzr|jyz|lxr|jbr|sqr|tzr|dbr)';
const PINYIN_ID = '(?:sfzjhm|sfzhm|sfzh|sfz|zjhm|zjh)';
const PINYIN_NAME = 'xm';
const PINYIN_PHONE = '(?:lxdh|yddh|sjhm|sjh|dh)';
const PINYIN_SEGMENT = new RegExp(
  `^(?:${PINYIN_PERSON}(?:${PINYIN_ID}|${PINYIN_NAME}|${PINYIN_PHONE})?|${PINYIN_ID}|${PINYIN_NAME}|${PINYIN_PHONE})$`,
  'i',
);
const PINYIN_NAME_SEGMENT = new RegExp(`^(?:${PINYIN_PERSON}|${PINYIN_PERSON}?${PINYIN_NAME})$`, 'i');
const PINYIN_PHONE_SEGMENT = new RegExp(`^${PINYIN_PERSON}?${PINYIN_PHONE}$`, 'i');

const letters = (segment: string): string => segment.replace(/[^A-Za-z]/g, '');

// Face fields named in Chinese, as a catalog entry may name them (`surface.法定代表人`): a person —
// 法定代表人, 法人, 负责人, 经营者, 联系人, 经办人, 申请人, 投资人, 持证人, or 姓名 —, a person's
// document (身份证, 证件号, 护照, 通行证: a passport or a travel permit) or phone (电话, 手机). Found anywhere in the segment, since Chinese
// runs words together (`法定代表人姓名`, `负责人身份证号码`); the letters alone saw no name in them.
const CHINESE_PERSON = /(?:代表人|法人|负责人|经营者|联系人|经办人|申请人|投资人|持证人|姓名)/;
const CHINESE_ID = /(?:身份证|证件号|护照|通行证)/;
const CHINESE_PHONE = /(?:电话|手机)/;
const isChinesePersonal = (segment: string): boolean =>
  CHINESE_PERSON.test(segment) || CHINESE_ID.test(segment) || CHINESE_PHONE.test(segment);

/** True for `holder.name`, `holder.id` and surface fields named like a person or an ID (in English, pinyin or Chinese). */
export function isPersonalPath(path: string): boolean {
  if (path === 'holder.name' || path === 'holder.id' || path.startsWith('contact.')) return true;
  if (!path.startsWith('surface.')) return false;
  return path
    .slice('surface.'.length)
    .split('.')
    .some(
      (segment) =>
        PERSONAL_SEGMENT.test(letters(segment)) ||
        PINYIN_SEGMENT.test(letters(segment)) ||
        isChinesePersonal(segment),
    );
}

/**
 * `isPersonalPath` for a license whose holder is known: a legal person's `holder.name` and
 * `holder.id` are not personal, unless the id has a resident ID number's shape
 * (`isLegalPersonHolder`). Surface fields naming people (a legal representative) stay personal.
 */
export function isPersonalPathFor(path: string, holderIdType: unknown, holderId: unknown): boolean {
  if ((path === 'holder.name' || path === 'holder.id') && isLegalPersonHolder(holderIdType, holderId))
    return false;
  return isPersonalPath(path);
}

/**
 * Name-like paths keep their first char; phone-like their last four; anything else keeps first and
 * last four (`1101****002X`).
 */
export function maskPersonal(path: string, value: string): string {
  if (path.startsWith('contact.')) return maskContact(value);
  const segment = path.split('.').pop() ?? '';
  const last = letters(segment);
  if (/phone|mobile/i.test(last) || PINYIN_PHONE_SEGMENT.test(last) || CHINESE_PHONE.test(segment))
    return maskContact(value);
  const nameLike =
    (/name|representative|person|operator|contact|owner|principal/i.test(last) &&
      !/id|passport/i.test(last)) ||
    PINYIN_NAME_SEGMENT.test(last) ||
    (CHINESE_PERSON.test(segment) && !CHINESE_ID.test(segment));
  return nameLike ? maskName(value) : maskId(value);
}

const SHOWN = 64;

/**
 * A value as a reason shows it: masked when personal; otherwise with any ID, mobile, passport or
 * travel permit number in it masked (maskNumberShapes: a remark or an address quoting a holder's
 * passport, as an error's text masks it); cut to 64 chars (a 1 MB string must not travel into the
 * quarantine table); undefined for objects and arrays. `clear` shows it unmasked, for a person who
 * asked to see personal data on their own terminal (`preview --show-personal`), never for storage.
 */
export function showValue(
  path: string,
  value: unknown,
  personal = isPersonalPath(path),
  clear = false,
): string | undefined {
  let text: string;
  if (value === null) text = 'null';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    text = String(value);
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  else return undefined;
  if (!clear) text = personal && value !== null ? maskPersonal(path, text) : maskNumberShapes(text);
  const chars = Array.from(text);
  return chars.length > SHOWN ? `${chars.slice(0, SHOWN - 3).join('')}... (${chars.length} chars)` : text;
}
