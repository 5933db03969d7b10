// A box of fixed `text` has no value: `prefix`, `join` and `format` say how a field's value is
// printed, and on such a box the layout printed the text alone (`{ text: 食品经营许可证, prefix:
// 编号： }` showed no 编号：). The catalog refuses them when it loads, at the key's line.
import { describe, expect, it } from 'vitest';
import { foodEntry, lineOf, problemsOf } from './face-catalog-fixture.js';

const TITLE = '{ text: 食品经营许可证,';

describe('a fixed text box with keys of a field value', () => {
  it('refuses `prefix` on a box of `text`, at its line, naming the box', async () => {
    const food = await foodEntry();
    const text = food.replace(TITLE, `${TITLE} prefix: 编号：,`);
    expect(problemsOf(text)).toEqual([
      `${lineOf(text, 'prefix: 编号：')}: face.texts.0.prefix: \`prefix\` is printed before a field's value, and a box of fixed \`text\` has none: it would not be printed. Write it into \`text\` (\`编号：食品经营许可证\`), or bind a \`field\``,
    ]);
  });

  it('refuses `join` and `format` on a box of `text` alike', async () => {
    const food = await foodEntry();
    const text = food.replace(TITLE, `${TITLE} join: ；, format: date,`);
    const line = lineOf(text, 'join: ；');
    expect(problemsOf(text)).toEqual([
      `${line}: face.texts.0.join: \`join\` joins a list field's items, and a box of fixed \`text\` has none: it would do nothing. Remove it, or bind a \`field\``,
      `${line}: face.texts.0.format: \`format\` formats a field's value, and a box of fixed \`text\` has none: it would do nothing. Remove it, or bind a \`field\``,
    ]);
  });

  it('takes them on a box of a field, as the demo has them', async () => {
    expect(problemsOf(await foodEntry())).toEqual([]);
  });
});
