/**
 * How a Chinese platform's validation message opens after a field's label (`持证人：不能为空`), told
 * from a name written there (./labelled-names.ts): the words no name opens with, and those a surname
 * opens too, read by what follows them.
 */
/** A pattern matching a text that opens with one of `lines`' space-separated words. */
export const startsWithWord = (lines: readonly string[]): RegExp =>
  new RegExp(`^(?:${lines.join(' ').replaceAll(' ', '|')})`, 'u');

/**
 * Words a Chinese platform's validation message opens with after the field's label (`持证人：不能为空`,
 * `联系人：手机号格式不正确`, `法定代表人：与营业执照不一致`, `姓名：长度不能超过50个字符`), among them a
 * check against other records (`姓名：比对不一致`, `持证人：经核查与公安库不一致`, `姓名：人像比对不通过`)
 * and the field's own name again or another field's (`持证人：持证人名称不能为空`, `持证人 住所与登记不一致`,
 * `申请人 联系电话为空`, `持证人 相片不清晰`): no name opens so. A word that is a
 * surname too (应, 查, 尚, 长, 经, 公, 比, 要, 主, 所) is listed only with what follows it in such a
 * message, in {@link SURNAME_OPENER} (应为, 查无, 尚未, 长度, 经核, 公安, 比对, 要求, 主体, 所填), or
 * 尚雯婕, 经纬 or 比干 would be shown as a message. So are 须, 空 and 可, rare surnames (`姓名：须明`
 * went out whole): 须填写, 须为中文, 空值 and 可为空 are read there.
 */
export const NOT_NAME_START = startsWithWord([
  '关系 授权',
  '不 未 无 请 与 已 缺 错 含 仅 只 最 暂 均 需 该 此 被 在',
  '为空 为必 过长 过短 太长 太短 格式 字段 字符',
  '数据 信息 内容 参数 校验 验证 认证 实名 检查 填写 输入 手机 电话 号码 证件 证照 身份 类型',
  '编码 包含 至少 至多 大于 小于 多于 少于 等于 重复 存在 有误 异常 合法 正确 名称 姓名 状态',
  '有效 失效 过期 冲突 匹配 一致 相同 中文 英文 汉字 特殊 全角 半角 首尾 前后 数量 变更 签名 签章',
  '值 没有 禁止 找不到 对应 核验 核查 核实 核对 人像 人脸 人员 系统',
  '名字 字数 取值 填报',
  '住所 住址 地址 联系 邮箱 相片 照片 学历 学位 职务 职业 性别 民族 国籍 年龄 籍贯',
  '持证人 持有人 申请人 联系人 法定代表人 法人 负责人 当事人 经办人 办理人 代理人 受托人 委托人 监护人 收件人 领证人 领取人 签收人 联络人 户主',
]);
/**
 * Rare surnames a message opens with too (超, 必, 非, 是, 以): read as a message by that character,
 * a name with one went out whole (`姓名：非凡`, `持证人：超明已存在`). The character is a message's alone
 * or before what such a message goes on with (`超过`, `必填`, `非法`, `是否`, `以字母开头`), a name's
 * before anything else.
 */
export const RARE_SURNAME_MESSAGE = new Map([
  ['超', startsWithWord(['长 出 过 限 时 范 期 额 大 多 短 界'])],
  ['必', startsWithWord(['填 须 选 要 需 传'])],
  ['非', startsWithWord(['法 空 必 中 汉 数 有 本 标 正 英 字 合 规 身 证'])],
  ['是', startsWithWord(['否 必 空 无 非 不 身 证'])],
  ['以', startsWithWord(['字 下 上 中 汉 数 英 大 小 及 外 前 后 空 特 身 证'])],
]);
/**
 * Opening words of a message whose first character is a surname (公安, 库中, 当前, 经查, 应为, 尚未):
 * a name may open so too (`持证人：公安民与登记信息不符`, `姓名：库中华`, `姓名：应为民`). Such a word is a message's when it stands
 * alone or {@link MESSAGE_GOES_ON} follows it (`公安比对不通过`, `库中无此人`); one or two characters
 * then what follows a name, or the run's end, are a name built on it, as AFTER_NAME reads
 * (./labelled-names.ts). Longest first, so 经核查 is read before 经核.
 */
export const SURNAME_OPENER = startsWithWord([
  '经比对 经校验 经核查 经核实 经核验 经核对 所填 所属 比对 公安 公民 主体 库中 当前 生僻 要求 经核 经查',
  '应为 应当 应该 应与 应填 应是 查无 查询 尚未 尚无 尚不 长度',
  '须为 须是 须在 须与 可为空 可为 可以 空值 空白 空格 空字符 空串 须 空 可',
]);
/**
 * Of {@link SURNAME_OPENER}, the words a platform writes alone after a label, the rest of its
 * message cut off or in digits (`姓名：应为`, `姓名：长度`, `姓名：须在2到20个字之间`, `持证人：所属`). Any
 * other alone is a name (`姓名：公民`, `姓名：库中`, `持证人：要求`), as it was shown whole.
 */
export const ALONE_MESSAGE = new Set(
  [
    '公安 比对 所属 主体 所填 经比对 经校验 经核查 经核实 经核验 经核对',
    '应为 应当 应该 应与 应填 应是 查无 尚未 尚无 尚不 长度 须为 须是 须在 须与 可为空 空值 空白',
  ]
    .join(' ')
    .split(' '),
);
/**
 * What goes on after such a word in the platforms' reasons (`比对不一致`, `公民身份号码与姓名不匹配`,
 * `所填姓名与证件不一致`, `经核查与公安库不一致`, `当前状态不允许变更`, `要求必填`, `库中无此人`, `须使用中文`,
 * `须与户口簿一致`,
 * `可为空值`, `空格过多`, `空缺`, `可选`): a
 * message's words, a single character only one a given name seldom takes (not 超, 写, 此 or 应:
 * `公安超`, `比对超` are names; 超出, 填写真实, 查无此人 and 长度应在 are listed whole).
 */
export const MESSAGE_GOES_ON = startsWithWord([
  '不 无 未 非 没 已 的 与 须 必 失败 一致 不符 不能 有误 错误 异常 为空 库 状态 信息 数据 记录 结果',
  '身份 姓名 名称 号码 证件 证照 比对 核 查 校验 验证 通过 格式 长度 字 机构 单位 系统 人员 人像 填写',
  '中文 汉字 英文 数字 大写 小写 简体 有效 真实 正确 营业 执照 登记 注册 备案 实名 认证 办理 定义',
  '写真 写正 此人 此记录 该人 该记录 相关 出错 完成 提交 支持 开通 超出 超过 超时 超长 超限 应在',
  '太长 太短 大于 小于 使用 准确 提供 唯一 值 过多 缺 选 户口 户籍',
]);
