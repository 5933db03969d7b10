/**
 * What each quarantine reason code means to the person who fixes the row at the source, in
 * Chinese and in English: one plain sentence each, saying what is wrong and what to change.
 * (The issuing unit answers for its data: the fix belongs in the business system, not here.)
 */

export interface ReasonText {
  zh: string;
  en: string;
}

/**
 * How an entry a sync does not remove leaves the list, for the codes that have one: the reasons'
 * sentences and the worklist page's notes (quarantine-export.ts) both say it with these.
 */
const LEAVING = {
  // ledger/quarantine-resolve.ts closes the code's reasons of every open record of the key; a row
  // read again as version 999 holds it maps cleanly (ledger/commit-page.ts).
  LB_VERSION_LIMIT: {
    zh: '办理完毕（或已在各平台手工注销该证照）后，请技术人员以 `licbridge quarantine resolve <key> --pipeline P --reason LB_VERSION_LIMIT` 将其移除；业务系统中该记录改回台账中第 999 版的内容的，下次同步时也会移除。',
    en: 'once that is done (or the license is ended at the platforms by hand), ask the technical staff to close it with `licbridge quarantine resolve <key> --pipeline P --reason LB_VERSION_LIMIT`; a sync also removes it once the record is put back to what version 999 holds.',
  },
  // The row is read under its key once it has one, and no row gives the stand-in again: no read
  // closes the entry; ledger/quarantine-resolve.ts closes the stand-in's records whole.
  LB_SOURCE_KEY_MISSING: {
    zh: '补录主键后，该记录以其主键生成证照，本条仍留在清单中（其临时键不会再出现）：请在证照生成后请技术人员以 `licbridge quarantine resolve <key> --pipeline P --reason LB_SOURCE_KEY_MISSING` 将其移除。',
    en: 'once the key is filled in, the record is issued under it and this entry stays on this list (no record gives its stand-in key again): once the license is issued, ask the technical staff to close it with `licbridge quarantine resolve <key> --pipeline P --reason LB_SOURCE_KEY_MISSING`.',
  },
  // A signature (closeSignedStoredText), the answer to a send (delivery-outcomes.ts), no delivery
  // left to send (quarantine-unsendable-stored-text.ts), a repair or the tick ending the license.
  LB_STORED_TEXT: {
    zh: '该版本签章后，或到期处理或对账修复据恢复的内容办结该证照后，从本清单中移除；已转入死信的，待该版本再无可由重放或运行发送的投递时移除：各平台对重放的发送作出答复（已提交或已接收），死信被丢弃（`licbridge dlq discard`），或该证照的较新版本已被同一平台接收（重放不再发送该死信）；仅一个平台作出答复、另一平台的死信仍待重放时不会移除。',
    en: 'It leaves this list once the restored version is signed, or the lifecycle tick or a repair ends the license from its restored text; a dead-lettered one once no delivery of the version is left for a replay or a run to send (its replayed send answered by the platform, submitted or accepted, its dead letter discarded with `licbridge dlq discard`, or a later version of the license accepted at the same target, behind which a replay leaves it dead), not while its dead letter at another target still waits for a replay.',
  },
} as const satisfies Record<string, ReasonText>;

const TEXTS: Record<string, ReasonText> = {
  LB_HOLDER_ID_CHECK: {
    zh: '持证主体证件号码的校验位不对，多半是录入时输错了一位；请在业务系统中核对并改正证件号码。',
    en: "The holder's ID number fails its check character, most likely a mistyped digit; correct the number in the business system.",
  },
  LB_HOLDER_ID_FORMAT: {
    zh: '持证主体证件号码的格式不对（长度或字符不符合规定）；请在业务系统中改正证件号码。',
    en: "The holder's ID number has the wrong length or characters; correct the number in the business system.",
  },
  LB_HOLDER_ID_EMPTY: {
    zh: '持证主体证件号码为空；请在业务系统中补录证件号码。',
    en: "The holder's ID number is empty; fill it in in the business system.",
  },
  LB_HOLDER_ID_DATE: {
    zh: '身份证号码中的出生日期不存在；请核对并改正证件号码。',
    en: 'The birth date inside the ID number does not exist; check and correct the number.',
  },
  LB_SCHEMA_HOLDER_ID: {
    zh: '持证主体证件号码不符合证照目录的要求；请在业务系统中改正证件号码。',
    en: "The holder's ID number does not meet the catalog's rules; correct it in the business system.",
  },
  LB_MAP_REQUIRED: {
    zh: '证照必填的一项在业务数据中为空；请在业务系统中补录这一项。',
    en: 'A field the license requires is empty in the business data; fill it in in the business system.',
  },
  LB_SCHEMA_REQUIRED: {
    zh: '证照目录要求的一项缺失；请在业务系统中补录这一项。',
    en: 'A field the license catalog requires is missing; fill it in in the business system.',
  },
  LB_MAP_DATE: {
    zh: '日期无法识别或不存在（例如 2月30日）；请在业务系统中改正日期。',
    en: 'A date cannot be read or does not exist (such as 30 February); correct the date in the business system.',
  },
  LB_DATE_RANGE: {
    zh: '日期先后不合理（例如有效期止早于有效期起）；请核对并改正日期。',
    en: 'Dates are out of order (such as an end date before the start date); check and correct them.',
  },
  LB_MAP_LOOKUP: {
    zh: '状态或代码取值不在约定的对照表中；请在业务系统中改为有效的取值，或联系技术人员补充对照关系。',
    en: 'A status or code value is not in the agreed lookup table; use a valid value in the business system, or ask the technical staff to extend the mapping.',
  },
  LB_MAP_NUMBER: {
    zh: '应为数字的一项不是数字，或数字位数过多、无法精确读取；请在业务系统中改正，位数过多时请对接人员将该列按文本读取。',
    en: 'A value that must be a number is not one, or has too many digits to read exactly; correct it in the business system, or, for too many digits, ask the integration engineer to read the column as text.',
  },
  LB_MAP_TYPE: {
    zh: '一项数据的类型不对；请在业务系统中改正。',
    en: 'A value has the wrong type; correct it in the business system.',
  },
  LB_MAP_TOO_LONG: {
    zh: '一项内容超过了允许的长度；请在业务系统中缩短。',
    en: 'A value is longer than allowed; shorten it in the business system.',
  },
  // Most often a number or name with a space at its start or end (CHAR padding), which the business
  // system does not show: the general sentence ("check and correct") left the clerk nothing to find.
  LB_SCHEMA_PATTERN: {
    zh: '一项内容的写法不符合证照目录的要求，多为证照编号或持证主体名称的开头或结尾带有空格（业务系统中看不出来），或整项只有空格；请在业务系统中删去首尾空格并核对这一项。',
    en: "A value is not written in the form the license catalog requires, most often a license number or holder's name with a space at its start or end (the business system does not show it) or nothing but spaces; remove the spaces and check the value in the business system.",
  },
  LB_SCHEMA_LENGTH: {
    zh: '一项内容的长度不符合证照目录的要求；请在业务系统中改正。',
    en: "A value's length does not meet the catalog's rules; correct it in the business system.",
  },
  LB_MAP_CONTROL_CHAR: {
    zh: '内容中含有看不见的控制字符（多为复制粘贴带入）；请在业务系统中重新录入这一项。',
    en: 'A value holds an invisible control character, usually pasted in; retype it in the business system.',
  },
  LB_MAP_ENCODING: {
    zh: '文字编码有误，显示为乱码；请联系技术人员在数据源上设置正确的字符集（数据源级修复），不要手工改动数据。',
    en: 'The text arrived in the wrong encoding and reads as garbage; ask the technical staff to set the source charset (the source-level repair), do not edit the data by hand.',
  },
  LB_MAP_CHARSET: {
    zh: '内容中含有证照不允许的字符（例如表情符号）；请在业务系统中改正。',
    en: 'A value holds a character licenses do not allow (such as an emoji); correct it in the business system.',
  },
  LB_SOURCE_CHARSET: {
    zh: '数据源中的文字无法按设定的字符集解码；请联系技术人员核对数据源的字符集设置。',
    en: "The source's text cannot be decoded with the configured charset; ask the technical staff to check the source charset.",
  },
  LB_SOURCE_VALUE: {
    zh: '数据源中的这一项无法读取；请在业务系统中核对这一项。',
    en: 'This value cannot be read from the source; check it in the business system.',
  },
  LB_SOURCE_TOO_LARGE: {
    zh: '这一项内容过大，无法作为证照数据；请在业务系统中核对。',
    en: 'This value is too large for license data; check it in the business system.',
  },
  LB_SOURCE_KEY_MISSING: {
    zh: `这条记录没有主键（业务编号）；请在业务系统中补录。${LEAVING.LB_SOURCE_KEY_MISSING.zh}`,
    en: `This record has no key (business number); fill it in in the business system. Then, ${LEAVING.LB_SOURCE_KEY_MISSING.en}`,
  },
  LB_SOURCE_KEY_AMBIGUOUS: {
    zh: '这条记录的主键（业务编号）与另一条记录只差首尾空格，无法区分；请在业务系统中改正其中一条的编号。',
    en: "This record's key (business number) differs from another record's only by leading or trailing spaces, so the two cannot be told apart; correct one of them in the business system.",
  },
  LB_SOURCE_KEY_NUL: {
    zh: '这条记录的主键（业务编号）中含有不可见的空字符（NUL），证照台账无法保存；请在业务系统中删去该字符，改正编号。',
    en: "This record's key (business number) holds an invisible NUL character, which the license ledger cannot store; remove it from the number in the business system.",
  },
  LB_SOURCE_KEY_DUPLICATE: {
    zh: '多条记录使用同一个主键（业务编号）且内容不同，无法确定哪一条是这张证照；请在业务系统中为每条记录设置各自的编号，或请技术人员改用唯一的主键列。',
    en: 'Several records share this key (business number) with different content, so none can be taken as the license; give each record its own number in the business system, or ask the technical staff to read by a unique key column.',
  },
  LB_SOURCE_DECODE: {
    zh: '导出文件的这条记录无法解析；请重新导出，或联系技术人员。',
    en: 'This record of the export file cannot be parsed; export it again or ask the technical staff.',
  },
  LB_SOURCE_ENTITY: {
    zh: '导出文件含有不允许或未定义的实体引用（如外部实体，或未转义的 & 符号）；请重新导出，若仍出现请联系技术人员检查导出工具。',
    en: 'The export file holds an entity reference that is not allowed or not defined (an external entity, or an `&` the export tool did not escape); export it again, and if it comes back ask the technical staff to check the export tool.',
  },
  LB_SOURCE_FIELD_CLASH: {
    zh: '导出文件的这条记录中，两个不同的元素或属性对应同一个字段名（如 <DZ.SHENG> 与 <DZ><SHENG>），无法确定取哪一个；请技术人员调整导出格式，使两者名称不同。',
    en: 'Two different elements or attributes of this export record read as the same field (<DZ.SHENG> and <DZ><SHENG>, say), so neither can be taken; ask the technical staff to change the export layout so the two are named apart.',
  },
  LB_SOURCE_FIELD_REPEATED: {
    zh: '导出文件的这条记录中，主键（业务编号）或更新时间出现了不止一次（重复的元素，或不同命名空间的同名元素），无法确定取哪一个；请技术人员调整导出格式，使每条记录只写一次。',
    en: 'This export record holds its key (business number) or its update time more than once (a repeated element, or elements of one name in two namespaces), so neither can be taken; ask the technical staff to change the export so each record writes it once.',
  },
  LB_IDENTIFIER_MISMATCH: {
    zh: '证照标识与证照内容不一致；请联系技术人员核对映射配置。',
    en: "The license identifier does not match the license's content; ask the technical staff to check the mapping.",
  },
  LB_VERSION_LIMIT: {
    zh: `这张证照的版本号已达 999（证照标识的版本号只有三位），无法再生成新版本：业务系统中这条记录的内容又有改动的，改动未写入台账，证照仍为第 999 版；已过有效期的，无法办理到期，仍为有效。请核对业务系统为何如此频繁地改动该记录；确需变更时请以新证照编号办理（换发或变更）。以新证照编号办理后，本条仍留在清单中：${LEAVING.LB_VERSION_LIMIT.zh}`,
    en: `This license has reached version 999, the most its identifier can number, so it can take no further version: where this record changed in the business system, the change was not written and the license stays at version 999; where it is past its valid-to date, it could not be expired and stays valid. Check why the business system changes the record so often, and issue a real change under a new license number (a renewal or change). This entry stays on this list after the change is issued under a new license number: ${LEAVING.LB_VERSION_LIMIT.en}`,
  },
  LB_STORED_TEXT: {
    zh: '台账中保存的这张证照的内容无法读取，或与该版本记录的内容摘要不符（保存后被改动过），因此未据此签章、发送或生成注销版本（对账修复），证照在各平台保持原状，同批的其他证照照常处理；请技术人员核对并恢复台账中该版本的内容，之后的运行会签章并发送（已转入死信的，恢复后重放该死信；该证照的较新版本已被同一平台接收的，重放不再发送该死信，该平台无需处理），对账修复会完成注销。',
    en: "The license the ledger stores for this version does not read, or no longer matches the content hash its version records (altered since it was written), so it was not signed, sent, or ended by the reconcile repair, and it stays as it is at the platforms; the other licenses of its batch went on. Ask the technical staff to check and restore that version's stored text: the next run then signs and sends it (a dead-lettered delivery is replayed once it is restored, unless a later version of the license is accepted at that target by then, behind which a replay leaves it unsent and nothing is left to do there), and the next repair ends it.",
  },
  LB_MAP_HOLDER_ID_TYPE: {
    zh: '持证主体证件号码既不像身份证号码也不像统一社会信用代码，或与该证照允许的证件类型不符；请在业务系统中核对证件号码和持证主体类型。',
    en: "The holder's ID number has the shape neither of a resident ID nor of a credit code, or not of an ID type this license allows; check the number and the holder's type in the business system.",
  },
  LB_MAP_LIST_LENGTH: {
    zh: '同一组多项内容的条数对不上（例如名称有3项而代码只有2项），逐项配对会张冠李戴；请在业务系统中补齐或删去多余的项，注意不要留空项。',
    en: 'Parts of one list have different numbers of items (say three names but two codes), so pairing them would match the wrong values; complete or remove items in the business system, leaving no empty ones.',
  },
  LB_PREDECESSOR_REQUIRED: {
    zh: '延续、变更等业务需要写明所延续的原证照，但记录中原证照编号为空；请在业务系统中补录原证照编号。',
    en: 'A renewal or change must name the license it continues, but the record leaves it empty; fill in the earlier license number in the business system.',
  },
  LB_PREDECESSOR_UNKNOWN: {
    zh: '记录所写的原证照不在已发放的证照中；请在业务系统中核对原证照编号，或先让原证照完成发放。',
    en: 'The earlier license the record names is not among the licenses issued; check its number in the business system, or have the earlier license issued first.',
  },
  LB_PREDECESSOR_AMBIGUOUS: {
    zh: '记录所写的原证照编号对应多张证照，无法确定延续的是哪一张；请联系技术人员改用原证照的业务主键来指明。',
    en: 'The earlier license number the record names is held by several licenses, so which one it continues is unclear; ask the technical staff to name it by its source key instead.',
  },
  LB_CATALOG_TYPE: {
    zh: '证照类型不在证照目录中；请联系技术人员更新证照目录。',
    en: 'The license type is not in the license catalog; ask the technical staff to update the catalog.',
  },
};

const SCHEMA: ReasonText = {
  zh: '一项内容不符合证照目录的要求；请在业务系统中核对并改正这一项。',
  en: "A value does not meet the license catalog's rules; check and correct it in the business system.",
};

const OTHER: ReasonText = {
  zh: '这条记录未能生成证照；请把原因代码告知技术人员。',
  en: 'This record could not become a license; pass the reason code to the technical staff.',
};

/**
 * Own properties only: the code comes from the ledger's rows, and a plain object's lookup would
 * answer `constructor` or `toString` from Object.prototype with a function.
 */
function own<T>(table: Readonly<Record<string, T>>, code: string): T | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

/** The sentences for a reason code; unknown schema codes share one, any other code a general one. */
export function reasonText(code: string): ReasonText {
  return own(TEXTS, code) ?? (code.startsWith('LB_SCHEMA') ? SCHEMA : OTHER);
}

/** Every code with its own sentences (for the docs and their test). */
export function explainedCodes(): string[] {
  return Object.keys(TEXTS);
}

/** How an entry of `code` leaves the list where a sync does not remove it; none for other codes. */
export function leavingText(code: string): ReasonText | undefined {
  return own<ReasonText>(LEAVING, code);
}
