/**
 * Names written after a label that says a name follows (`持证人：张三`, `holder: Zhang San`) hidden,
 * and a platform's validation message written after such a label (`持证人：不能为空`) kept whole.
 */
import { hideDriverValues } from './driver-values.js';
import { hideEncodedNames, hideEscapedNames } from './encoded-names.js';
import { COMPOUND_SURNAME, opensWithSurname } from './han-surnames.js';
import {
  KIND_CODES,
  LATIN_RUN,
  LOWER_RUN,
  lowerCaseName,
  lowerCaseNameEnd,
  NOT_NAME_WORDS,
  opensOperational,
} from './latin-names.js';
import { maskLabelledDocumentNumbers } from './mask.js';
import {
  ALONE_MESSAGE,
  MESSAGE_GOES_ON,
  NOT_NAME_START,
  RARE_SURNAME_MESSAGE,
  SURNAME_OPENER,
  startsWithWord,
} from './message-openers.js';
import {
  HAN_LABEL,
  HOLDER_LABEL,
  LABEL_WORD,
  MORE_LATIN_LABEL,
  MORE_LATIN_WORDS,
  nameLabel,
  PINYIN_WORD,
} from './name-labels.js';

const HAN = '[\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\u{20000}-\\u{3134F}]';
/**
 * What may stand after a label and its sign: a run of Han characters (a minority name's parts
 * joined by a middle dot, `买买提·艾力`; group 2), or up to four words capitalised or in lower case
 * (./latin-names.ts LOWER_RUN; group 3). Which of it is a name {@link labelledName} tells.
 */
// Or two characters a space pads to three, as a form aligns a name (`王　伟`; half-width in a log
// line and an error's text, ./half-width.ts).
const HAN_RUN = `${HAN}[ \u3000]${HAN}(?!${HAN})|${HAN}(?:[${HAN.slice(1, -1)}·•・]*${HAN})?`;
/** A quote or a bracket a value is written in (`姓名：“张三”`, `姓名：【张三】`, `"holderName":"Zhang San"`). */
const OPENING = `["'“‘「『【［\\[（(〔]`;
/**
 * The end of an XML element's opening tag the label names (`<XM>`), after an attribute or a space
 * too (`<XM type="string">`, `<XM >`), spaces and a CDATA section's opener after it
 * (`<XM> <![CDATA[…`), or escaped in another document's text (`&lt;XM&gt;`): b8f09eb1 read `>`
 * right after the label only, and a name in those went out whole.
 */
const XML_OPEN =
  '(?:(?<=<[^<>/\\s]{1,30})(?:[ \\t][^<>]{0,80})?>|(?<=&lt;[^&<>/\\s]{1,30})&gt;)[ \\t]*(?:<!\\[CDATA\\[)?';
/**
 * The sign between a label and its value: `:`, `：`, `=` or `＝` with spaces or tabs (then a JSON
 * array's bracket too: `{"xm":["张三",…]}`), or a tab alone (a sheet's columns copied out:
 * `姓名\t张三`, which an error's text and a stored reason read with a space), then a quote or a
 * bracket, or a bracket alone (`姓名【张三】`, `持证人［张三］已存在`), which
 * wraps a value as a sign introduces one; or spaces before Han characters (`持证人 张三 已存在`): a
 * space ends a Han run as no character does, so a name there has an end (`持证人 不存在` reads as
 * a message by its words, as after `：`). Or `=>`, or the `>` of an XML element the label names
 * (`<XM>张三</XM>`, `<姓名>…`, as a legacy export or a platform's XML answer holds one).
 */
const SIGN = `(?:[ \\t]*(?:[:：]|[=＝]>?)[ \\t]*(?:\\[${OPENING}|${OPENING})?|${XML_OPEN}|\\t+${OPENING}?|[【［\\[「『]| +${OPENING}?(?=${HAN}))`;
/**
 * A quote after a label, a key's: one opens the label too (`"lxr" 张三`), or a `:` or `=` follows
 * (`{"T_LXR":"李四"}`). Not a quote closing a word the label ends (`约束"uk_lxr" 详细：…`): the
 * words after a constraint's name were hidden as a name.
 */
const labelledNamePattern = (label: string): RegExp =>
  new RegExp(
    `(${label}(?:(?<=["']${label})["']|["'](?=[ \\t]*[:：=＝]))?${SIGN})(?:(${HAN_RUN})|(${LOWER_RUN}))`,
    'gu',
  );
const LABELLED_NAME = labelledNamePattern(nameLabel(HOLDER_LABEL));
const LABELLED_NAME_MORE = labelledNamePattern(nameLabel(`(?:${HOLDER_LABEL}|${MORE_LATIN_LABEL})`));
/**
 * The next name of a list after one hidden whole: a Han name after `、` (`姓名：张三、李四`), words
 * capitalised or in lower case (as the first is read: ./latin-names.ts) after `,`, `、`, `;`, `/`,
 * `&` or `and` (`holder: Zhang San, Li Si`, `Zhang San and Li Si`, `zhang san, li si`),
 * or after `，`, `;`, `/`, a space, a tab, or 和, 及 or 与 after a listed name, two or three Han
 * characters, or four after a compound surname (`姓名：张三，欧阳娜娜`), standing whole (`姓名：张三，李四`,
 * `张三 李四`), before what only a name is followed by (`张三，李四已存在`) or before 和, 及 or 与 and
 * another (`张三，李四和王五`); each in quotes or brackets as the first (`姓名：“张三”、“李四”`), and
 * no key of its own after it (`{"HolderName":"Zhang San","IdType":…}`). Not a longer Han run after
 * `，`: a message goes on there (`姓名：张三，证件号码有误`, `张三，性别不符`).
 */
const CLOSING = `["'”’」』】］\\]）)〕]`;
// A name of four characters has a compound surname (COMPOUND_SURNAME) far more often than not.
const NAME_FOLLOWS_WORDS = '已存在 已注册 已登记 已被 不存在 先生 女士 名下';
const SHORT_NAME = `((?:${COMPOUND_SURNAME})${HAN}{1,2}|${HAN}{2,3})(?:(?!${HAN})|(?=${NAME_FOLLOWS_WORDS.replaceAll(' ', '|')}|[和及与]${HAN}))`;
const LISTED_NAME = new RegExp(
  `^(?:(${CLOSING}?、 ?${OPENING}?)(${HAN_RUN})|(${CLOSING}?(?: ?[，,;；/|＋ \\t] ?|[和及与])${OPENING}?)${SHORT_NAME}|(${CLOSING}?(?: ?[,，、;；/&] ?(?:(?:and|AND) )?| (?:and|AND) )${OPENING}?)(${LOWER_RUN}))(?!["']?[ \\t]*[:：=])`,
  'u',
);
/**
 * How a thing a platform says exists or not ends (`，账号已存在`, `，附件不存在`, `，许可证已存在`,
 * `，单位与登记不符`, `，接口已存在`): two or three characters ending so after `，`, a message going on
 * after them, are no listed name, which seldom ends in one of them.
 */
const THING_END = /[号码证件单表库项录档务次位构料板户据址型类态额段口求置点题门]$/u;
const HAN_FIRST = new RegExp(`^${HAN}`, 'u');
/**
 * Before 已, 不存在, 与 or 和 after `，` a noun of the record is named as often as a name
 * (`，证书已存在`, `，印章与备案不一致`, `，邮编和地址为空`): only a run opening with a surname
 * (./han-surnames.ts) is a name there, and not one of these nouns opening with one.
 */
const SURNAME_NOUN = startsWithWord([
  '申请 申报 申诉 文件 文书 文档 文本 文号 任务 任职 项目 许可 单位 单据 单号 权限 权属 安全 章程',
  '成员 成果 常住 明细 关系 关联 方案 方式 金额 房屋 房产 路径 楼栋 楼层 位置 位数 简称 简介 包名',
  '全称 全名 宣传 初始 初审 容量 封面 班级 盖章 支付 母亲 师资 华侨 应用 查询 边界 解析 费用 费率',
]);
/**
 * English words naming a record's thing, no name's, after `and` or `&` (`holder: Zhang San and
 * Passport Number invalid`), besides NOT_NAME_WORDS (`ID Card`, `Company Name`).
 */
const THING_WORDS = new Set('passport number card phone mobile company address email others'.split(' '));
/**
 * A platform's status or verdict written after a name and `，`, `;`, `/` or a space (`姓名：张三，待审核`,
 * `持证人：张三 通过`): two or three characters standing whole, as a listed name stands, and no name:
 * the stage of a matter (`办结`, `审批中`, and any `待…`: 待 is no surname), what was done to a record
 * (`新增`, `冻结`), and the holder's sex or ethnic group (`男性`, `汉族`, `蒙古族`), which, read as a
 * second name and hidden, left an operator nothing to go on.
 */
const LISTED_STATUS = new Set(
  [
    '通过 成功 失败 拒绝 驳回 退回 注销 作废 吊销 撤销 正常 审核中 已审核 重试 其他',
    '办结 受理 退件 补正 撤回 审批中 办理中 处理中 受理中 核验中 完成 提交 删除 新增 修改 更新',
    '发证 制证 签发 归档 挂起 停用 启用 冻结 锁定 确认 生效 同步 推送 上报 入库 出库 延续 补办',
    '换证 补证 年检 男性 女性',
    // What to do about a problem listed after it (`证书过期，更换`): read as a name, hidden.
    '更换 更正 变更 续期 续办 重办 复核 补交 补充 整改 核实',
  ]
    .join(' ')
    .split(' '),
);
/**
 * The ethnic groups (GB/T 3304) by what comes before 族: any one or two characters then 族 took a
 * name too (`姓名：张三，王族`). 黎, 白 and 苗 are common surnames too, but 族 is no given name a
 * platform lists after a name: 黎族 there was hidden as a second name, which left an operator
 * nothing to go on; a name on them (`黎明`) is still one.
 */
const ETHNIC_GROUP =
  '黎 白 苗 汉 蒙古 回 藏 维吾尔 彝 壮 布依 朝鲜 满 侗 瑶 土家 哈尼 哈萨克 傣 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺';
const LISTED_STATUS_SHAPE = new RegExp(`^待|^(?:${ETHNIC_GROUP.replaceAll(' ', '|')})族$`, 'u');
const MORE_WORDS = /^(?: |%20|\+)[A-Z]/;
const FULL_LATIN = new RegExp(`^${LATIN_RUN}`);

/**
 * What a platform writes after a holder's name and never after such a word in a message
 * (`持证人：公安已存在`, `比对不存在`, `主体先生`): the word, or it and one character more
 * (`公民库已存在`), is a name then, though 已 and 不 go on a message too (`比对不一致`).
 */
const NAME_FOLLOWS = startsWithWord([NAME_FOLLOWS_WORDS]);
/**
 * How a short validation message after a field's label ends (`负责人：职务为空`, `联系人：地址有误`,
 * `姓名：校验失败`): two to four characters ending so are the message, no name (a name is followed
 * by 不符 or 不存在, never by 为空).
 */
const PROBLEM_END = /(?:为空|错误|有误|无效|缺失|必填|异常|过长|过短|非法|不全|超长|超限|失败|过期)$/u;
/**
 * What a platform writes after a holder's name in the same run of Han characters (`持证人：张三已存在`,
 * `张三与登记不符`, `王五手机号格式错误`, `张三丰年龄超限`, `张三请核对`): the name is the two to four
 * characters before it. Not 和 or 及, nor 与 but before what a name is compared with (`与营业执照`) or
 * at the run's end: another name follows them (`张三和李四`, `张三与李四`), and the run is hidden whole.
 */
const AFTER_NAME = startsWithWord([
  '已 不存在 不一致 不符 不匹配 的 在 未 无 重复 证件 身份证 信息 等 名下 先生 女士 请 手机 电话',
  '联系 号码 年龄 性别 出生 住址 住所 地址 职务 民族 国籍 格式 长度 字段 与$',
  '与营业 与执照 与登记 与注册 与备案 与证件 与证照 与身份 与公安 与工商 与系统 与库 与原 与实际 与记录 与数据',
]);
/**
 * Of {@link NOT_NAME_WORDS}, those a surname may follow as a word of their own (`holder: Real Wang`,
 * `holder: Check Li`): a message's only when a message's word follows (`Data Error`, `Name
 * Mismatch`) or no capitalised word does (`Check failed`).
 */
/** The word after a run of capitalised words, read on in the text (`Real name mismatch`): `name`. */
const NEXT_WORD = /^(?: |%20|\+)([A-Za-z]+)/;
const LOWER_START = /^[a-z]/;
const NOUN_OPENERS = new Set(
  'name names holder id contains contain verification check inconsistent real identity data'.split(' '),
);
/**
 * The part of `han` (a run of Han characters after a label) or `latin` (capitalised words) that is
 * hidden, '' when it is a validation message: one opening with a message's words (`不能为空`,
 * `Required`), or two to four characters ending in a problem (`职务为空`). All else is hidden, as a
 * name is what such a label says follows: of a longer run the two to four characters before a word
 * a name is followed by (`***手机号格式错误`), or the whole run when none is (`张三和李四`).
 */
function labelledName(han: string | undefined, latin: string | undefined, after = '', label = ''): string {
  if (latin !== undefined) {
    const words = latin.split(/( +|%20|\+)/);
    if (opensOperational(words[0] ?? '', words[2], label)) return '';
    if (LOWER_START.test(latin)) return words.slice(0, lowerCaseNameEnd(words, after)).join('');
    // A noun of a message is a name's word when a word no message holds follows it: first
    // (`Real Wang`), or after a name's word, or last with no message word after the run (`Juan
    // Real`, `Juan Real, 证件号码有误`; not `Zhang San Real name mismatch`).
    // A word in lower case is a name's as pinyin only (`Zhang san`; not `Inconsistent with`).
    const nameWord = (word: string): boolean =>
      LOWER_START.test(word) ? lowerCaseName(word) : !NOT_NAME_WORDS.has(word.toLowerCase());
    const nextWord = (i: number): string =>
      i + 2 < words.length ? (words[i + 2] ?? '') : (NEXT_WORD.exec(after)?.[1] ?? '');
    const named = NOUN_OPENERS.has((words[0] ?? '').toLowerCase()) && nameWord(words[2] ?? 'no');
    let end = named ? 1 : 0;
    for (let i = named ? 2 : 0; i < words.length; i += 2) {
      // A word in lower case after capitalised ones: a given name's as pinyin (`Zhang san`).
      if (LOWER_START.test(words[i] ?? '')) {
        if (!lowerCaseName(words[i] ?? '')) break;
        end = i + 1;
        continue;
      }
      const word = (words[i] ?? '').toLowerCase();
      if (NOT_NAME_WORDS.has(word) && !(end > 0 && NOUN_OPENERS.has(word) && nameWord(nextWord(i)))) break;
      end = i + 1;
    }
    return words.slice(0, end).join('');
  }
  if (han === undefined) return '';
  const rare = RARE_SURNAME_MESSAGE.get(han.charAt(0));
  if (rare === undefined ? NOT_NAME_START.test(han) : han.length === 1 || rare.test(han.slice(1))) return '';
  const opener = SURNAME_OPENER.exec(han)?.[0];
  if (opener !== undefined) {
    const rest = han.slice(opener.length);
    if (rest === '' && ALONE_MESSAGE.has(opener)) return '';
    for (const more of [0, 1])
      if (NAME_FOLLOWS.test(rest.slice(more))) return `${opener}${rest.slice(0, more)}`;
    if (rest !== '' && MESSAGE_GOES_ON.test(rest)) return '';
  }
  const chars = Array.from(han);
  // A minority name's parts joined by a dot, or two to four characters standing whole: all of it.
  const dotted = /[·•・]/u.test(han);
  if (dotted || chars.length <= 4) return dotted || (chars.length >= 2 && !PROBLEM_END.test(han)) ? han : '';
  // What only a name is followed by first, from the shortest name: 张三已存在 is no four-character
  // name before 在.
  for (let n = 2; n <= 4; n++)
    if (NAME_FOLLOWS.test(chars.slice(n).join(''))) return chars.slice(0, n).join('');
  for (let n = 4; n >= 2; n--)
    if (AFTER_NAME.test(chars.slice(n, n + 3).join(''))) return chars.slice(0, n).join('');
  return han;
}

/**
 * `text` with each name written after a label that says it is one, and a `:`, `：` or `=`
 * (`持证人：张三`, `holder: Zhang San`, `"holderName":"Zhang San"`), replaced by `***`. A name has no
 * shape, and free text from outside (a platform's reason, a log line's fields) names a holder so.
 * Platforms also write a validation message as `field：problem` (`持证人：不能为空`, `holder:
 * Required`), which an operator needs whole: only a name-shaped value is hidden. Without the sign
 * nothing tells where the name ends: Chinese parts no words (`持证人张三已存在`, `持证人信息不完整`),
 * and such text is left as it is. A foreign document's number after its label (`证件号码：ABC123456`)
 * is masked here too (./mask.ts maskLabelledDocumentNumbers): every shown text takes this pass, and
 * the shapes' pass reads no text without seven digits in a row. So are the values a driver names
 * in its own words (`Key (xm)=(***) already exists.`, ./driver-values.ts), which a log line keeps
 * the quotes of, and a name after its label in a URL's query, percent-encoded, or JSON-escaped
 * (./encoded-names.ts).
 */
export function hideLabelledNames(text: string): string {
  const named = hideNames(maskLabelledDocumentNumbers(hideDriverValues(text)));
  return hideEncodedNames(hideEscapedNames(named, hideNames), hideNames);
}

/**
 * A name in brackets right after its label (`经办人（张三）`, `持证人(张三)已存在`, `代理人（李四、王五）`):
 * the labels' pattern reads a bracket as a sign only in the forms a value is wrapped in, and a name
 * there went out whole. A kind or a note stands there as often (`申请人（个人）`, `联系人(选填)`,
 * `持证人（单位名称）`): only two to four characters opening with a common surname and standing up
 * to the closing bracket or a list's sign, no noun of a record (as a name listed after `，`), are
 * hidden.
 */
const BRACKETED = new RegExp(`(?<=(?:${HAN_LABEL})[（(])[^（()）\\n]{2,24}(?=[）)])`, 'gu');
const BRACKET_LIST = /([、，,；; ])/u;

function bracketedName(part: string): boolean {
  const chars = Array.from(part);
  return (
    chars.length >= 2 &&
    chars.length <= 4 &&
    opensWithSurname(part) &&
    !THING_END.test(part) &&
    !SURNAME_NOUN.test(part) &&
    labelledName(part, undefined) === part
  );
}

/**
 * A name in brackets whole: in pinyin (`经办人(Zhang San)`, `(zhangsan)`), each word read as after a
 * label in lower case, or two Han characters a space pads (`经办人(张 三)`), which the parts' split
 * read as two one-character parts. Either went out whole. Not a code (`(api)`, `(geren)`).
 */
const SPACED_HAN = new RegExp(`^${HAN}[ \u3000]${HAN}$`, 'u');
const bracketedWhole = (inside: string): boolean =>
  (SPACED_HAN.test(inside) && opensWithSurname(inside)) ||
  (/^[A-Za-z]+(?: [A-Za-z]+){0,3}$/.test(inside) &&
    !opensOperational(inside.split(' ')[0] ?? '') &&
    !KIND_CODES.has(inside.toLowerCase()) &&
    lowerCaseNameEnd(inside.toLowerCase().split(/( )/)) === inside.split(' ').length * 2 - 1);

const hideBracketed = (text: string): string =>
  text.replace(BRACKETED, (inside) =>
    bracketedWhole(inside)
      ? '***'
      : inside
          .split(BRACKET_LIST)
          .map((part, i) => (i % 2 === 0 && bracketedName(part) ? '***' : part))
          .join(''),
  );

function hideNames(text: string): string {
  if (!LABEL_WORD.test(text) && !PINYIN_WORD.test(text)) return text;
  return hideBracketed(hideSigned(text));
}

function hideSigned(text: string): string {
  let out = '';
  let from = 0;
  // The pattern itself, its lastIndex set here: nothing this loop calls reads it, and a copy per
  // text (new RegExp) was half the time this pass took over a short reason.
  const re = MORE_LATIN_WORDS.test(text) ? LABELLED_NAME_MORE : LABELLED_NAME;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [whole, label = '', han, latin] = m;
    if (m.index < from) continue;
    const end = m.index + whole.length;
    const name = labelledName(han, latin, text.slice(end, end + 40), label);
    if (name !== '') {
      // A list of names: each after the last hidden whole (`张三、李四、王五已存在`).
      const [listed, to] = hideListed(text, m.index + label.length + name.length, han ?? latin);
      out += `${text.slice(from, m.index)}${label}***${listed}`;
      from = to;
      continue;
    }
    // A message (`证书过期`, `关系不符`, `证件有误`) is shown, and names listed after it are read as
    // after a name (`持证人：证书过期，***`): since 16da293a read 过期 so, and 关系 and 授权 opened a
    // message, they went out whole where cbda075f hid them with the value.
    const [listed, to] = han !== undefined ? hideListed(text, end, han) : ['', end];
    if (to > end) {
      out += `${text.slice(from, end)}${listed}`;
      from = to;
      continue;
    }
    // No name: the search goes on after the label, as what followed it may be a label of its own
    // (`持证人 姓名：张三`, `姓名【持证人：张三】`, `联系人 手机号格式错误姓名：张三`).
    re.lastIndex = m.index + label.length;
  }
  return out + text.slice(from);
}

/**
 * The names listed in `text` from `start` on, after `first` (a name hidden, or a problem shown) that
 * ends there: what is shown of them, each hidden as the first and a status copied as it is, and
 * where the list ends.
 */
function hideListed(text: string, start: number, first: string | undefined): [string, number] {
  let out = '';
  let from = start;
  for (let value = first; value !== undefined; ) {
    const item = value === text.slice(from - value.length, from) ? LISTED_NAME.exec(text.slice(from)) : null;
    if (item === null) break;
    const [listed, sep = '', han2, sepShort = '', short, sep2 = '', cut] = item;
    // A key is one word (`Status:`): words cut short by that check before a sign are a name's
    // whole (`holder: Zhang San, Li Si: duplicate`).
    const nextLatin =
      cut !== undefined && MORE_WORDS.test(text.slice(from + listed.length))
        ? (FULL_LATIN.exec(text.slice(from + listed.length - cut.length))?.[0] ?? cut)
        : cut;
    const after = from + listed.length - (cut?.length ?? 0) + (nextLatin?.length ?? 0);
    const nextHan = han2 ?? short;
    const next = labelledName(nextHan, nextLatin, text.slice(after, after + 40));
    const gap = sep.length + sepShort.length + sep2.length;
    // A status is copied as it is and the list goes on after it: a name after one
    // (`姓名：张三/男性/汉族；李四/女性/汉族`, `张三 通过；李四 驳回`) is hidden as the first.
    // So is a problem (`姓名：张三，都过期，***`), as after a label.
    const shown =
      short !== undefined && (LISTED_STATUS.has(short) || LISTED_STATUS_SHAPE.test(short))
        ? short
        : next === '' && nextHan !== undefined && PROBLEM_END.test(nextHan)
          ? nextHan
          : undefined;
    if (shown !== undefined) {
      out += text.slice(from, from + gap + shown.length);
      from += gap + shown.length;
      value = shown;
      continue;
    }
    // After `，`, `;`, `/` or a space only a short name (SHORT_NAME), nor a thing a message goes
    // on about (standing whole, it is hidden as it was).
    const thing =
      short !== undefined &&
      HAN_FIRST.test(text.slice(from + listed.length)) &&
      (THING_END.test(short) || !opensWithSurname(short) || SURNAME_NOUN.test(short));
    const words = /and|AND|&/.test(sep2) ? (nextLatin ?? '').toLowerCase().split(/ +|%20|\+/) : [];
    const latinThing = words.some((word) => NOT_NAME_WORDS.has(word) || THING_WORDS.has(word));
    if (next === '' || latinThing || (short !== undefined && (next !== short || thing))) break;
    out += `${text.slice(from, from + gap)}***`;
    from += gap + next.length;
    value = next === (nextHan ?? nextLatin) ? next : undefined;
  }
  return [out, from];
}
