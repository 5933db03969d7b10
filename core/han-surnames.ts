/**
 * Common Chinese surnames, for telling a name from a noun where nothing else does (after `，`
 * before 已存在, 不存在, 与 or 和: `张三，李四已存在` against `张三，证书已存在`). The single surnames
 * borne by most people (the census lists' first three hundred or so), without those a message opens
 * with far more often than a name (和, 时, 原, 国, 平, 来, 相, 区, 计, 都, 司, 商, 管, 车, 海, 门, 云,
 * 信, 主, 印), and the compound surnames.
 */
const SINGLE =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农卓古吉缪简项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝郜阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿狄索宣晋初容敬扈晁芮阙浦戈伏鹿薄邸雍辜羊母裘亓修邰赖';
export const COMPOUND_SURNAME =
  '欧阳|司马|诸葛|上官|司徒|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|令狐|夏侯|轩辕|端木|独孤|南宫|西门|百里|呼延|万俟|闻人|赫连|澹台|公冶|太叔|申屠|钟离|宗政|濮阳|淳于|单于|公羊|仲孙|拓跋|鲜于|闾丘|司空|颛孙|东郭|左丘|梁丘|乐正|漆雕|谷梁|羊舌|微生';
const SURNAME_START = new RegExp(`^(?:${COMPOUND_SURNAME}|[${SINGLE}])`, 'u');

/** Whether `han` opens with a common surname (`李四`, `欧阳娜娜`). */
export const opensWithSurname = (han: string): boolean => SURNAME_START.test(han);
