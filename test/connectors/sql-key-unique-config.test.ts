/**
 * `stream.keyUnique` is validated like the other stream options: a boolean, its problem located
 * at its line; set, it reaches the source with the stream.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';

const STREAM = 'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }';
const withOption = (value: string) =>
  VALID_CONFIG.replace(STREAM, `stream: { table: V_XKZ, key: ID, cursor: GXSJ, keyUnique: ${value} }`);

describe('stream.keyUnique', () => {
  it('is carried on the stream when set', async () => {
    expect(VALID_CONFIG).toContain(STREAM);
    const file = await writeConfig(withOption('true'), { 'data/keys/seal.key.pem': KEY_PEM });
    const config = await loadConfig({ file, env: {} });
    const stream = Object.values(config.pipelines)[0]?.stream;
    expect(stream).toMatchObject({ table: 'V_XKZ', keyUnique: true });
  });

  it('anything but a boolean is a problem at its line', async () => {
    const text = withOption('"yes"');
    const { problems } = await problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({
        line: positionOf(text, 'keyUnique').line,
        path: 'pipelines.food-business-licenses.stream.keyUnique',
        message: expect.stringMatching(/^expected boolean, got `"?yes"?` \(string\)/),
      }),
    ]);
  });
});
