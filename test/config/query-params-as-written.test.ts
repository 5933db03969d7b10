/**
 * A stream query's `params` are bound as YAML reads them, and YAML reads an unquoted `0102` as the
 * number 102 and an 18-digit code as a number it cannot hold exactly (370211000000000001 is
 * 370211000000000000). The query then selected other rows than the ones written, or none (a text
 * column compared with 102 never equals `0102`), and the licenses were never issued, without a
 * word. Such a value is a config problem at its line; a number written as it reads, and quoted
 * text, load as before.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const STREAM = 'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }';

function withParams(params: string): string {
  expect(VALID_CONFIG).toContain(STREAM);
  return VALID_CONFIG.replace(
    STREAM,
    `stream:\n      table: T_SPXK_XKZ\n      key: ID\n      cursor: GXSJ\n      query: "SELECT * FROM T_SPXK_XKZ WHERE DEPT = ? AND AREA = ?"\n      params:\n        - 1\n        - ${params}`,
  );
}

describe('a query parameter YAML reads as another value than written', () => {
  it.each([
    ['0102', 'the number 102'],
    ['370211000000000001', 'the number 370211000000000000'],
    ['0x1F', 'the number 31'],
    ['1e3', 'the number 1000'],
  ])('`%s` is a config problem at its line', async (written, reads) => {
    const text = withParams(written);
    const { problems } = await problemsOf(text);
    const dash = positionOf(text, `- ${written}`);
    expect(problems).toEqual([
      expect.objectContaining({
        line: dash.line,
        column: dash.column + 2,
        path: 'pipelines.food-business-licenses.stream.params[1]',
        message: expect.stringContaining(`\`${written}\` is read by YAML as ${reads}`),
      }),
    ]);
    expect(problems[0]?.message).toMatch(/quote it/);
  });

  it('a YAML 1.1 `yes` read as true is one too', async () => {
    const text = `%YAML 1.1\n---\n${withParams('yes')}`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'pipelines.food-business-licenses.stream.params[1]',
        expect.stringContaining('`yes` is read by YAML as true'),
      ],
    ]);
  });

  it('numbers written as they read, quoted text, true and null load unchanged', async () => {
    const file = await writeConfig(
      withParams('"0102"\n        - 12.5\n        - -3\n        - true\n        - null'),
      {
        'data/keys/seal.key.pem': KEY_PEM,
      },
    );
    const config = await loadConfig({ file, env: {} });
    expect(config.pipelines['food-business-licenses']?.stream.params).toEqual([
      1,
      '0102',
      12.5,
      -3,
      true,
      null,
    ]);
  });
});
