// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * A config file is read as UTF-8. Saved as GBK — what a Chinese Windows editor saves as "ANSI" —
 * it loaded without a word, the issuer's name `青岛西海岸新区市场监督管理局` read as a row of U+FFFD,
 * and every license was signed and published with that name.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { resolveRefs } from '../../config/refs.js';
import { KEY_PEM, positionOf, VALID_CONFIG, writeConfig } from './fixtures.js';

describe('a config file that is not UTF-8', () => {
  it('is refused at the first line that does not decode, not loaded with broken names', async () => {
    const file = await writeConfig('', { 'data/keys/seal.key.pem': KEY_PEM });
    await writeFile(file, iconv.encode(VALID_CONFIG, 'gbk'));
    const error = await loadConfig({ file, env: {} }).then(
      () => undefined,
      (e: unknown) => e as { problems: { line: number; message: string }[] },
    );
    expect(error?.problems).toHaveLength(1);
    expect(error?.problems[0]?.line).toBe(positionOf(VALID_CONFIG, '青岛').line);
    expect(error?.problems[0]?.message).toMatch(/^not UTF-8 text: .*save the file as UTF-8/);
  });

  it('in UTF-8 (with or without a byte order mark) it loads', async () => {
    const file = await writeConfig(`\uFEFF${VALID_CONFIG}`, { 'data/keys/seal.key.pem': KEY_PEM });
    const config = await loadConfig({ file, env: {} });
    expect(config.pipelines['food-business-licenses']?.issuer.name).toBe('青岛西海岸新区市场监督管理局');
  });
});

describe('${file:…} of a file that is not UTF-8 text', () => {
  it('is a problem naming the reference (a DER key is bytes, not the PEM text the signer reads)', async () => {
    const file = await writeConfig('', {});
    const der = Buffer.from([0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0xff, 0xfe]);
    await writeFile(join(dirname(file), 'seal.key.der'), der);
    const r = resolveRefs('${file:./seal.key.der}', { env: {}, baseDir: dirname(file) });
    expect(r.problems).toEqual([
      `cannot read \`\${file:./seal.key.der}\` (${join(dirname(file), 'seal.key.der')}): not UTF-8 text (a binary DER key? give its PEM form)`,
    ]);
  });
});
