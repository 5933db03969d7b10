/**
 * What of a run of English letters after a name's label (./labelled-names.ts) reads as a name: the
 * words of an English validation message, which no name holds, and a name in lower case, as a form
 * or a legacy row holds pinyin (`holder: zhang san`).
 */

/**
 * Words of an English validation message (`holder: Required`, `holderName: Invalid format`, `holder:
 * Name must not be empty`, `holder: Verification failed`): no name's. Not a common given name, as
 * `max` and `nil` were (`holder: Max Mustermann` was shown), nor a pinyin syllable (`long`, `an`).
 */
export const NOT_NAME_WORDS = new Set(
  [
    'required invalid missing empty null none blank format too must not unknown undefined wrong bad',
    'illegal incorrect mismatch mismatched expected should cannot is was exceeds exceeded length duplicate',
    'duplicated already exists error failed failure please value field does only maximum minimum',
    'mandatory absent malformed no non true false unsupported forbidden denied rejected over under less',
    'more greater longer shorter characters string type the this need needs',
    'name names holder id contains contain verification check inconsistent real identity data',
    // Bean Validation's constraint codes, as a platform answers them under a field's key
    // (`{"xm":["NotBlank"]}`): 2fd3820d hid them as names. Min and Max: CODE_IN_ARRAY.
    'notblank notnull notempty size pattern email past future pastorpresent futureorpresent digits',
    'positive positiveorzero negative negativeorzero asserttrue assertfalse decimalmin decimalmax range',
  ]
    .join(' ')
    .split(' '),
);

/**
 * What a schema's or a job's own words write after a column's label, no name: a SQL type and its
 * constraints (`LXR: TEXT NOT NULL`, `CZRXM: VARCHAR`, `LXR: DEFAULT NULL`), of MySQL, PostgreSQL,
 * SQL Server, Oracle, KingbaseES and DM (`TINYTEXT`, `CHARACTER VARYING(50)`, `UNIQUEIDENTIFIER`,
 * `RAW(16)`, `ENUM('a','b')`), and the system, database and service accounts a record is handled
 * by (`JBR: SYSTEM`, `jbr=api`, `FZR: Ops Team`, `CZR: LICBRIDGE`, `JBR: DBA`). fa7060f9's pinyin
 * labels hid them as names; 74fbfdbf knew a few of them only.
 */
const OPERATIONAL_WORDS = new Set(
  [
    'text varchar varchar2 nvarchar nvarchar2 char nchar clob nclob blob number numeric decimal integer',
    'int bigint smallint tinyint date datetime datetime2 timestamp timestamptz boolean bool json jsonb',
    'tinytext mediumtext longtext tinyblob mediumblob longblob mediumint bit enum set year float double',
    'binary varbinary serial bigserial smallserial character varying uuid bytea interval inet cidr xml',
    'ntext uniqueidentifier money smallmoney smalldatetime datetimeoffset image rowversion sql_variant',
    'raw rowid urowid bfile xmltype binary_float binary_double byte longvarchar longvarbinary other',
    'default primary unique foreign references',
    'system sys admin administrator root auto automatic platform api ops team service batch scheduler',
    'licbridge import export anonymous cron etl robot bot job worker daemon sync dba dbo postgres oracle',
    'mysql sysdba sysadmin guest public nobody kingbase sqlserver',
  ]
    .join(' ')
    .split(' '),
);
/**
 * A holder's kind and a system account as a form or a legacy row codes them in pinyin
 * (`持证人(geren)`, 个人; `(danwei)`, 单位; `(qiye)`, 企业; `(faren)`, 法人; `经办人(xitong)`, 系统;
 * `(zidong)`, 自动), which read as a name's syllables: 06b977ce hid them in brackets, ed7b0369 after
 * a sign (`JBR: XITONG`, `xm: geren`).
 */
export const KIND_CODES = new Set(
  'geren danwei qiye faren xitong zidong gongsi jigou zuzhi getihu shiye zhengfu'.split(' '),
);
/**
 * Bean Validation's codes that are given names too (`holder: Max Mustermann`): a code only alone in
 * a JSON array of codes under its key (`{"xm":["Max"]}`), as a platform answers one.
 */
const CODE_IN_ARRAY = new Set(['Min', 'Max']);
/**
 * Of them, words pinyin writes too, a name's first (龙 Long, 萨 Sa): a type or an account only as
 * the whole value (`JBR: SA`) or before the word named (`LXR: LONG RAW`); `JBR: Sa Bei` is a name.
 */
const PINYIN_OPERATIONAL: ReadonlyMap<string, string> = new Map([
  ['long', 'raw'],
  ['sa', ''],
]);
/**
 * A word in capitals with no vowel, Y none either (`CZY`, `YZBM`): a column's name in pinyin
 * initials (`LXRDH`), no name's; pinyin writes a vowel in each syllable. 74fbfdbf left Y out.
 */
const INITIALS_ONLY = /^[B-DF-HJ-NP-TV-Z]{2,}$/;
/**
 * Whether `word`, in capitals, opens with the pinyin initials of its own label (`LXR=LXRID`,
 * `T_LXR: LXRSJ`): a column named after the label's, no name's, which no pinyin syllable opens so.
 */
const opensWithLabel = (word: string, label: string): boolean =>
  /^[A-Z]+$/.test(word) &&
  label
    .split(/[^A-Za-z]+|(?<=[a-z])(?=[A-Z])/)
    .some((part) => INITIALS_ONLY.test(part.toUpperCase()) && word.startsWith(part.toUpperCase()));

/**
 * Whether a run of words after a label opens with a SQL type, a system account or a column's name;
 * `next` is the run's next word, '' when none, and `label` the label with its sign.
 */
export const opensOperational = (word: string, next = '', label = ''): boolean =>
  OPERATIONAL_WORDS.has(word.toLowerCase()) ||
  KIND_CODES.has(word.toLowerCase()) ||
  (CODE_IN_ARRAY.has(word) && next === '' && /\[["']$/.test(label)) ||
  PINYIN_OPERATIONAL.get(word.toLowerCase()) === next.toLowerCase() ||
  INITIALS_ONLY.test(word) ||
  opensWithLabel(word, label);

/**
 * A capitalised word, an apostrophe inside it (`O'Brien`): read up to the apostrophe, the rest of
 * the name went out after the mask (`***'Brien`).
 */
const LATIN_WORD = "[A-Z][A-Za-z]*(?:['’][A-Za-z]+)?";
/**
 * Up to four capitalised words (pinyin, `Zhang San`, `ZHANG SAN`, in a URL's query `Zhang%20San` or
 * `Zhang+San`) standing whole, so `ORA-01400` after a column named XM is none, nor a passport
 * number (`E12345678`) or a code (`LB_SOURCE_SCHEMA`). Not `AND` as a word: it joins two names in
 * capitals (`HOLDER_NAME=ZHANG SAN AND LI SI`).
 */
export const LATIN_RUN = `${LATIN_WORD}(?:(?: |%20|\\+)(?!AND(?![A-Za-z]))${LATIN_WORD}){0,3}(?![0-9A-Za-z_/-])`;
/** A word in lower case (`zhang`, `o'brien`). */
const LOWER_WORD = "[a-z]+(?:['’][a-z]+)?";
/**
 * Up to four words, each capitalised or in lower case (`zhang san`, `zhangsan`, `o'brien`,
 * `o’brien`, and half capitalised as typed in a hurry: `Zhang san`, `zhang San`), parted by spaces
 * (two, as a form pads a name), standing whole or before a `/` and a list's next name (`zhang
 * san/li si`), not `and` nor `AND` after the first: read as capitalised words or as lower-case
 * ones, the mask ended where the case changed, and the given name went out after it (`holder: ***
 * san`).
 */
export const LOWER_RUN = `(?:${LATIN_WORD}|${LOWER_WORD})(?:(?: +|%20|\\+)(?!(?:AND|and)(?![A-Za-z]))(?:${LATIN_WORD}|${LOWER_WORD})){0,3}(?![0-9A-Za-z_-]|/(?![A-Za-z]))`;

/**
 * The syllables of pinyin (GB/T 16159's table; ü written v) by their initial, a final alone under
 * ''. A letter pattern of an initial and any final read English words as pinyin (`code` as co-de,
 * `hide` as hi-de, `female`, `zone`), and a message in lower case was hidden as a name.
 */
const SYLLABLES: Record<string, string> = {
  '': 'a ai an ang ao e ei en eng er o ou',
  b: 'a ai an ang ao ei en eng i ian iao ie in ing o u',
  p: 'a ai an ang ao ei en eng i ian iao ie in ing o ou u',
  m: 'a ai an ang ao e ei en eng i ian iao ie in ing iu o ou u',
  f: 'a an ang ei en eng o ou u',
  d: 'a ai an ang ao e ei en eng i ian iao ie ing iu ong ou u uan ui un uo',
  t: 'a ai an ang ao e eng i ian iao ie ing ong ou u uan ui un uo',
  n: 'a ai an ang ao e ei en eng i ian iang iao ie in ing iu ong ou u uan un uo v ve',
  l: 'a ai an ang ao e ei eng i ia ian iang iao ie in ing iu o ong ou u uan un uo v ve',
  g: 'a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo',
  k: 'a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo',
  h: 'a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo',
  j: 'i ia ian iang iao ie in ing iong iu u uan ue un',
  q: 'i ia ian iang iao ie in ing iong iu u uan ue un',
  x: 'i ia ian iang iao ie in ing iong iu u uan ue un',
  zh: 'a ai an ang ao e ei en eng i ong ou u ua uai uan uang ui un uo',
  ch: 'a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo',
  sh: 'a ai an ang ao e ei en eng i ou u ua uai uan uang ui un uo',
  r: 'an ang ao e en eng i ong ou u ua uan ui un uo',
  z: 'a ai an ang ao e ei en eng i ong ou u uan ui un uo',
  c: 'a ai an ang ao e en eng i ong ou u uan ui un uo',
  s: 'a ai an ang ao e en eng i ong ou u uan ui un uo',
  y: 'a an ang ao e i in ing o ong ou u uan ue un',
  w: 'a ai an ang ei en eng o u',
};
const syllables = (initials: string[]): string =>
  initials
    .flatMap((initial) => (SYLLABLES[initial] ?? '').split(' ').map((final) => initial + final))
    .sort((a, b) => b.length - a.length)
    .join('|');
/**
 * A word of one to four pinyin syllables (a final alone only first, as `ouyang`: after a syllable
 * one would be written apart by an apostrophe), with how many it has, or a name with an apostrophe
 * after one or two letters (`o'brien`, `d'angelo`). Four at most, so a long word is read in bounded
 * time.
 */
const SYLLABLE = `(?:${syllables(Object.keys(SYLLABLES).filter((initial) => initial !== ''))})`;
const LOWER_NAME_WORD = new RegExp(`^(?:(?:${syllables([''])})|${SYLLABLE})(?:${SYLLABLE}){0,3}$`);
const ONE_SYLLABLE = new RegExp(`^(?:${syllables([''])}|${SYLLABLE})$`);
const APOSTROPHE_NAME = /^[a-z]{1,2}['’][a-z]{2,}$/;
/**
 * English words a message in lower case holds that read as pinyin of two syllables too, standing
 * alone as a value (`done` is do-ne, `lxr: time` ti-me).
 */
const LOWER_NOT_NAME = new Set(
  [
    'done pending open same running waiting demo here gone ok time male',
    // ed7b0369 hid these as na-ming, tu-ning, di-ning. Not `lining` nor `ruling`: 李宁, 如玲.
    'naming tuning dining mining timing gaming tubing women linen banana panda',
  ]
    .join(' ')
    .split(' '),
);

/** Whether `word` in lower case, or capitalised in a run that opens in lower case, is a name's. */
export function lowerCaseName(word: string): boolean {
  const lower = word.toLowerCase();
  return (
    (LOWER_NAME_WORD.test(lower) || APOSTROPHE_NAME.test(lower)) &&
    !NOT_NAME_WORDS.has(lower) &&
    !LOWER_NOT_NAME.has(lower)
  );
}

/** A verb's form a verdict on a name is written in (`zhangsan approved`, `lisi expiring`). */
const VERDICT = /^[a-z]{2,}(?:ed|ing)$/;

/**
 * How many of `words` (a run opening in lower case split at its spaces, the spaces kept between)
 * are a name's: from the first, each reading as pinyin or a name with an apostrophe and no
 * message's word, two to four of them (`zhang san`, `li si`), or one of two syllables or more
 * standing as the whole value (`zhangsan`, `holderName=zhangsan&…`) or before a message's word
 * or a verdict (`zhangsan not found`, `zhangsan approved`), or one with an apostrophe
 * (`o'brien`). `after` is the text after the run.
 * One word of pinyin before other words, or of one syllable, is a message's (`code mismatch`,
 * `cache miss`, `page 2`, `long`): ed7b0369 hid such words as a name.
 */
export function lowerCaseNameEnd(words: readonly string[], after = ''): number {
  let end = 0;
  for (let i = 0; i < words.length && lowerCaseName(words[i] ?? ''); i += 2) end = i + 1;
  if (end !== 1) return end;
  const word = (words[0] ?? '').toLowerCase();
  if (APOSTROPHE_NAME.test(word)) return end;
  if (ONE_SYLLABLE.test(word)) return 0;
  const next = words.length > 2 ? (words[2] ?? '') : (/^ +([0-9A-Za-z]*)/.exec(after)?.[1] ?? '');
  const lower = next.toLowerCase();
  return next === '' || NOT_NAME_WORDS.has(lower) || LOWER_NOT_NAME.has(lower) || VERDICT.test(lower)
    ? end
    : 0;
}
