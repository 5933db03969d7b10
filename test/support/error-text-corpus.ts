/**
 * Seeded texts of the kinds that reach the masking of error text: drivers' and platforms' messages,
 * numbers of every shape masking knows (alone, glued, grouped, full-width, after an escape),
 * quotes of every kind, URLs, labels, long runs and white space, put together at random. Made-up
 * data only. The same seed gives the same texts, so a difference found is found again.
 */

const NUMBERS = [
  '91110000600037341L',
  '91370406L24894136J',
  '92370211MA3098E10F',
  '11100000000013338W032',
  '110105194912310021',
  '11010519491231002X',
  '110105 19491231 002X',
  '138 0013 8000',
  '+8613800138000',
  'E12345678',
  '１１０１０５１９４９１２３１００２１',
  '%2291370406L24894136J',
  '550e8400-e29b-41d4-a716-446655440000',
  'deadbeefdeadbeefdeadbeef',
  'USCC91110000600037341L',
];
const MARKS = [
  "'",
  '"',
  '`',
  '‘',
  '’',
  '“',
  '”',
  '「',
  '」',
  '『',
  '』',
  '【',
  '】',
  '《',
  '》',
  '＂',
  '＇',
  '(',
  ')',
  '[',
  ']',
  '=',
  ':',
  '：',
  '@',
  '%',
  '\\',
  '&quot;',
  '&#39;',
  '\\u0022',
  '%E5%BC%A0',
  '?',
  '&',
  '#',
  '/',
  '-',
  '+',
  '.',
  ',',
  '\u3000',
  '\uFEFF',
  'ＡＢＣ',
];
const PHRASES = [
  'user',
  'password=abc1',
  'pwd=x1',
  'Key (holder_id)=(',
  'value is (',
  'Failing row contains (',
  'Duplicate entry ',
  'for type date: ',
  'Host ',
  'postgres://lb:pw@db/x',
  '//u@h',
  'https://gov.example.cn/api?name=%E5%BC%A0&mode=ro',
  '持证人：',
  '姓名：',
  'holder: ',
  '身份证号',
  '护照号码 ',
  'passport no ',
  '联系电话',
  'connect ECONNREFUSED 10.0.0.5:5432',
  'already exists',
  `Unexpected token 'Z', "Zhang San,"... is not valid JSON`,
  '"undefined" is not valid JSON',
  '张三',
  '李四',
  'Zhang San',
  "O'Brien",
  '𠮷野',
  '证照编号重复',
  'timeout',
  'a1b2c3',
  'XYZ',
];
const SPACES = [' ', ' ', ' ', '\n', '\t', '  '];

export function errorTextCorpus(count: number, seed: number): string[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const pieces: (() => string)[] = [
    () => digits(1 + Math.floor(random() * 20)),
    () => pick(NUMBERS),
    () => pick(MARKS),
    () => pick(PHRASES),
    () => pick(SPACES),
    () => 'x'.repeat(Math.floor(random() * 40)),
  ];
  const texts: string[] = [];
  while (texts.length < count) {
    let text = '';
    for (let n = 1 + Math.floor(random() * 10); n > 0; n--) text += pick(pieces)();
    texts.push(text);
  }
  return texts;
}
