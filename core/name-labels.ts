/**
 * The labels that say a person's name follows them (./labelled-names.ts), and the key names a log
 * object holds a name under (./logger.ts PERSONAL_KEYS), from one list of pinyin initials.
 */
/**
 * Labels that say the value after them is a person's name: a holder's (持证人, 持有人, `holder`,
 * `holderName`, `holder_name`), an applicant's, a contact's or a legal representative's, who handled
 * a matter (经办人, 经办人员, 办理人), an agent and who appointed them (代理人, 受托人, 委托人,
 * `agentName`), a guardian (监护人, `guardian`), who receives or collects a license (收件人, 领证人,
 * 领取人, 签收人, `recipientName`), a household's head
 * (户主, `householder`), and 姓名, 名字 and 姓名's pinyin initials `xm` (a legacy column's name). Not
 * `name`, `agent` or `recipient` alone: a pipeline, a target, a mapping or a table has a name, an
 * HTTP request a `User-Agent`, a notice a recipient that is a platform. Nor 法人 alone: it is the
 * legal person itself as often (`法人 组织机构代码为空`, `非法人 组织`), whose name is a unit's.
 */
export const HAN_LABEL =
  '姓[ 　]?名|名字|持证人|持有人|申请人|联系人|联络人|法定代表人|法人代表|负责人|当事人|经办人员?|办理人|代理人|委托人|受托人|监护人|收件人|领证人|领取人|签收人|户主';
/**
 * The pinyin initials a legacy table names a person's column by: a role's, alone or with 姓名's
 * `XM` after it (持证人 CZR, 持有人 CYR, 申请人 SQR, 联系人 LXR, 法定代表人 FDDBR, 法人代表 FRDB, 经办人
 * JBR, 代理人 DLR, 委托人 WTR, 监护人 JHR, 收件人 SJR, 领证人 LZR, 领取人 LQR, 签收人 QSR, 负责人 FZR,
 * 办理人 BLR), 法人 FR and 户主 HZ only before `XM` (alone they are the legal person and hertz), and
 * 姓名 spelt out (`XINGMING`). Not 受托人's STR: `str` is a string.
 */
export const PINYIN_ROLES = 'CZR CYR SQR LXR FDDBR FRDB JBR DLR WTR JHR SJR LZR LQR QSR FZR BLR'.split(' ');
const BEFORE_XM = [...PINYIN_ROLES, 'FR', 'HZ'];
/**
 * In capitals, in lower case or capitalised, and `XM` in camelCase too, as an API's field or an
 * ORM's property names the column (`czrXm`, `CzrXm`, `{"Lxr":…}`): read in capitals or in lower case
 * only (fa7060f9), a name after those went out whole.
 */
const cased = (words: readonly string[]): string =>
  words.flatMap((w) => [w, w.toLowerCase(), `${w.charAt(0)}${w.slice(1).toLowerCase()}`]).join('|');
const PINYIN = `(?:${cased(BEFORE_XM)})_?(?:XM|Xm|xm)|${cased(PINYIN_ROLES)}|${cased(['XINGMING'])}`;
/**
 * The pinyin labels as a log object's keys, in lower case without `_` (./logger.ts reads a key so):
 * `{ XM: … }`, `{ czrxm: … }`, `{ LXR_XM: … }`.
 */
export const PINYIN_KEYS: readonly string[] = [
  'xm',
  'xingming',
  ...PINYIN_ROLES.map((w) => w.toLowerCase()),
  ...BEFORE_XM.map((w) => `${w.toLowerCase()}xm`),
];
export const HOLDER_LABEL = `(?:[Hh]older(?:[ _-]?[Nn]ame)?|HOLDER(?:_?NAME)?|[Xx][Mm]|ＸＭ|ｘｍ|${PINYIN})`;
/**
 * The English labels added to `holder` (`guardian`, `householder`, `agentName`, `recipientName`):
 * looked for only in a text that holds one of their words (MORE_LATIN_WORDS), as each letter a word
 * may start with is one more place in every English text where the labels' pattern is tried.
 */
export const MORE_LATIN_LABEL =
  '(?:(?:[Gg]uardian|[Hh]ouseholder)(?:[ _-]?[Nn]ame)?|(?:[Aa]gent|[Rr]ecipient)[ _-]?[Nn]ame|(?:GUARDIAN|HOUSEHOLDER)(?:_?NAME)?|(?:AGENT|RECIPIENT)_?NAME)';
export const MORE_LATIN_WORDS = /uardian|ousehold|gent|ecipient/i;
export const nameLabel = (latin: string): string => `(?:${HAN_LABEL}|(?<![A-Za-z])${latin}(?![A-Za-z]))`;
/**
 * A word each label of LABELLED_NAME and LABELLED_NAME_MORE holds (a superset): a text without one,
 * most log lines, skips those patterns, which tried the labels at each of a 6 KB text's characters.
 */
export const LABEL_WORD =
  /人|姓[ 　]?名|名字|户主|[Hh](?:older|OLDER)|[Xx][Mm]|ＸＭ|ｘｍ|[Gg](?:uardian|UARDIAN)|[Aa](?:gent|GENT)|[Rr](?:ecipient|ECIPIENT)/;
/**
 * The pinyin labels without `XM` (which LABEL_WORD reads), in any case and between no letters as
 * nameLabel reads them: listed in LABEL_WORD in both cases, they took a 6 KB text four times as
 * long to read as the rest of it. Not as whole words (`\b`, 02f521e5): `T_LXR`, `1LXR` are none.
 */
export const PINYIN_WORD = new RegExp(`(?<![A-Za-z])(?:${PINYIN_ROLES.join('|')}|XINGMING)(?![A-Za-z])`, 'i');
