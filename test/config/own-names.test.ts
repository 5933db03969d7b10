// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * Names that are also properties every JavaScript object inherits. `${env:toString}` read
 * process.env's inherited method: the config held `function toString() { [native code] }`, or the
 * load crashed with a TypeError, instead of saying the variable is not set. And a config key
 * `__proto__` set the parent object's prototype: the entry vanished without a problem.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import { resolveRefs } from '../../config/refs.js';
import { ConfigError } from '../../core/errors.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

await usePrebuiltConfigValidator();

describe('names that objects inherit', () => {
  it('an environment variable named like an inherited property is unset when the environment lacks it', () => {
    for (const name of ['toString', 'constructor', 'hasOwnProperty']) {
      const r = resolveRefs(`\${env:${name}}`, { env: process.env, baseDir: '/cfg' });
      expect(r.problems).toEqual([
        `environment variable \`${name}\` is not set (referenced as \`\${env:${name}}\`; add \`:-default\` to make it optional)`,
      ]);
      expect(resolveRefs(`\${env:${name}:-x}`, { env: process.env, baseDir: '/cfg' }).value).toBe('x');
    }
  });

  it('a key `__proto__` is a key like any other: reported as not a valid name, not dropped', () => {
    const text =
      'ledger: { url: "sqlite://:memory:" }\ncatalog: ./catalog\nsources:\n  __proto__: { kind: sqlite, path: ./a.db }\n';
    let error: unknown;
    try {
      parseConfig(text, { file: '/cfg/licbridge.yaml', env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.objectContaining({
        line: 4,
        message: expect.stringContaining('`__proto__` is not a valid name'),
      }),
    ]);
  });
});
