// Face template words the catalog refuses with the file, line and what is wrong: an invisible
// format character (zero-width space, byte order mark, bidi override) in a field name, which made
// the name match no field while looking like one, or in fixed text, a prefix or a join, which
// printed nothing the reader could see (or turned the text around) on the sealed license; and field
// names holding spaces, brackets, empty or all-digit parts, which layout cannot look up. A face
// field whose name starts with digits (1号场所) is a name like any other and prints.
import { describe, expect, it } from 'vitest';
import { boxText } from '../../adapters/documents/face/layout.js';
import { buildCatalog } from '../../catalog/catalog.js';
import type { License } from '../../catalog/license.js';
import { problemsOf as catalogProblems, FOOD, foodEntry, lineOf } from './face-catalog-fixture.js';

/** The catalog's problems with `text`, each as `file:line: path: message`. */
const problemsOf = (text: string) => catalogProblems(text, { withFile: true });

describe('invisible characters in a face template', () => {
  it('refuses one in a field name, naming the line, the code point and where it stands', async () => {
    for (const [bad, cp, at] of [
      ['holder.id\u200b', 'U+200B ZERO WIDTH SPACE', 10],
      ['\ufeffholder.id', 'U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark)', 1],
      ['holder\u202e.id', 'U+202E RIGHT-TO-LEFT OVERRIDE', 7],
      ['holder.\u2066id', 'U+2066 LEFT-TO-RIGHT ISOLATE', 8],
    ] as const) {
      const text = (await foodEntry()).replace('field: holder.id,', `field: "${bad}",`);
      const shown = bad.replace(/[\u200b\ufeff\u202e\u2066]/u, `<${cp.split(' ')[0]}>`);
      expect(problemsOf(text)).toEqual([
        `${FOOD}:${lineOf(text, bad)}: face.texts.2.field: field \`${shown}\` holds ${cp}, an invisible character, at character ${at}: it makes the name match no field, though it looks like one; delete it (editors hide it, a copy from a document or web page brings it along)`,
      ]);
    }
  });

  it('refuses one the surface schema holds too, a face field no mapping can write, at the surface field', async () => {
    // The surface field's name is refused as every entry name holding one is (catalog/entry-names.ts).
    const text = (await foodEntry())
      .replace('    premises:\n', '    "premises\u200d":\n')
      .replace('required: [legalRepresentative, premises,', 'required: [legalRepresentative,')
      .replace('field: surface.premises,', 'field: "surface.premises\u200d",');
    expect(problemsOf(text)).toEqual([
      expect.stringContaining(
        `:${lineOf(text, '    "premises')}: surface.properties.premises\u200d: face field name \`premises<U+200D>\` holds U+200D ZERO WIDTH JOINER`,
      ),
    ]);
  });

  it('refuses one in fixed text, a prefix, a join or a font, naming the key and the code point', async () => {
    const text = (await foodEntry())
      .replace('text: 食品经营许可证', 'text: 食品\u200b经营许可证')
      .replace('prefix: 经营者名称：', 'prefix: 经营者\u202e名称：')
      .replace('prefix: 经营项目：,', 'prefix: 经营项目：, join: "\u00ad、",')
      .replace('font: 黑体', 'font: "\ufeff黑体"');
    expect(problemsOf(text)).toEqual([
      `${FOOD}:${lineOf(text, '食品\u200b')}: face.texts.0.text: \`text\` holds U+200B ZERO WIDTH SPACE, an invisible character, at character 3: it prints nothing where a reader sees nothing; delete it (editors hide it, a copy from a document or web page brings it along)`,
      `${FOOD}:${lineOf(text, '食品\u200b')}: face.texts.0.font: \`font\` holds U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark), an invisible character, at character 1: it prints nothing where a reader sees nothing; delete it (editors hide it, a copy from a document or web page brings it along)`,
      `${FOOD}:${lineOf(text, '经营者\u202e')}: face.texts.1.prefix: \`prefix\` holds U+202E RIGHT-TO-LEFT OVERRIDE, an invisible character, at character 4: it prints nothing where a reader sees nothing and turns around the text after it; delete it (editors hide it, a copy from a document or web page brings it along)`,
      `${FOOD}:${lineOf(text, 'join: "\u00ad')}: face.texts.6.join: \`join\` holds U+00AD SOFT HYPHEN, an invisible character, at character 1: it prints nothing where a reader sees nothing; delete it (editors hide it, a copy from a document or web page brings it along)`,
    ]);
  });

  it('names one in a key, which made the key unknown while it looked like a known one', async () => {
    const text = (await foodEntry()).replace('{ field: holder.id,', '{ field\u200b: holder.id,');
    expect(problemsOf(text)).toEqual([
      `${FOOD}:${lineOf(text, 'field\u200b:')}: face.texts.2.field\u200b: unknown key \`field<U+200B>\`: it holds U+200B ZERO WIDTH SPACE, an invisible character, at character 6; delete it (editors hide it)`,
    ]);
    // A key without one is named as before.
    const typo = (await foodEntry()).replace('{ field: holder.id,', '{ feild: holder.id,');
    expect(problemsOf(typo)).toEqual([
      `${FOOD}:${lineOf(typo, 'feild:')}: face.texts.2.feild: unknown key \`feild\``,
    ]);
  });

  it('leaves text with visible characters alone: CJK, full-width punctuation, a variation selector', async () => {
    const text = (await foodEntry()).replace(
      'text: 食品经营许可证',
      'text: "食品经营许可证（副本）\u845b\udb40\udd00"',
    );
    expect(problemsOf(text)).toEqual([]);
  });
});

describe('face field names layout cannot look up', () => {
  const cases: [string, RegExp][] = [
    [
      'holder. id',
      /field `holder\. id` holds a space \(U\+0020\) at character 8: field names hold no spaces/,
    ],
    [
      'surface.businessItems[0]',
      /field `surface\.businessItems\[0\]` holds `\[` or `\]`: a box cannot pick an item of a list; it prints a list whole/,
    ],
    ['surface..premises', /field `surface\.\.premises` has an empty name between two dots/],
    ['surface.premises.', /field `surface\.premises\.` has an empty name after its last dot/],
    [
      'surface.businessItems.0',
      /field `surface\.businessItems\.0` has a name of digits alone, `0`, which would pick an item of a list/,
    ],
  ];
  it.each(cases)('refuses `%s` at its line, saying what is wrong', async (bad, message) => {
    const text = (await foodEntry()).replace('field: holder.id,', `field: "${bad}",`);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^${FOOD.replace(/[.]/g, '\\.')}:${lineOf(text, bad)}: face\\.texts\\.2\\.field: `),
    );
    expect(problems[0]).toMatch(message);
  });

  it('refuses a reserved name the surface schema declares, which printed what every object holds', async () => {
    const text = (await foodEntry())
      .replace('    premises:\n', '    constructor:\n')
      .replace('required: [legalRepresentative, premises,', 'required: [legalRepresentative,')
      .replace('field: surface.premises,', 'field: surface.constructor,');
    expect(problemsOf(text)).toEqual([
      `${FOOD}:${lineOf(text, 'field: surface.constructor')}: face.texts.4.field: field \`surface.constructor\` has the reserved name \`constructor\`, which no mapping can write (the box would print what every object holds under that name, not a value of the license); name the face field otherwise in the \`surface\` schema`,
    ]);
  });

  it('binds and prints a face field whose name starts with digits', async () => {
    const text = (await foodEntry())
      .replace('    premises:\n', '    1号场所:\n')
      .replace('required: [legalRepresentative, premises,', 'required: [legalRepresentative, 1号场所,')
      .replace('field: surface.premises,', 'field: surface.1号场所,');
    expect(problemsOf(text)).toEqual([]);
    const [entry] = buildCatalog([{ file: FOOD, text }]).entries();
    const box = entry?.face?.texts.find((t) => t.field === 'surface.1号场所');
    expect(box).toBeDefined();
    const license = { surface: { '1号场所': '青岛市黄岛区长江中路1号' } } as unknown as License;
    expect(boxText(box as NonNullable<typeof box>, license)).toBe('经营场所：青岛市黄岛区长江中路1号');
  });
});
