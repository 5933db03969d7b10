/**
 * The config's maps keyed by chosen names (sources, pipelines, signers, trust, seals, targets,
 * lifecycle reminders, calendar years) hold their own names only. They had the prototype every
 * object has, so `config.pipelines.toString` was a function and `'constructor' in config.targets`
 * was true: a command given such a name went on with a pipeline of `undefined`s. And
 * `constructor`, which fits the name pattern, is refused as a name rather than taken.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const FILES = { 'data/keys/seal.key.pem': KEY_PEM };
const INHERITED = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];
const MAPS = ['sources', 'pipelines', 'signers', 'trust', 'seals', 'targets'] as const;
const PIPELINE = '  food-business-licenses:\n';

async function nameProblems(text: string) {
  const { problems } = await problemsOf(text, {}, FILES);
  return problems.filter((p) => p.message.includes('is not a valid name'));
}

describe('the config maps keyed by names', () => {
  it('find none of the names every object inherits', async () => {
    const config = await loadConfig({ file: await writeConfig(VALID_CONFIG, FILES), env: {} });
    for (const map of MAPS) {
      const held = config[map] as Record<string, unknown>;
      for (const name of INHERITED) {
        expect(held[name], `${map}.${name}`).toBeUndefined();
        expect(name in held, `${name} in ${map}`).toBe(false);
      }
      expect(Object.isFrozen(held)).toBe(true);
    }
    const reminders = config.lifecycle?.reminders as Record<string, unknown>;
    expect(reminders.toString).toBeUndefined();
    expect(config.pipelines['food-business-licenses']?.source).toBe('market-food');
    expect('food-business-licenses' in config.pipelines).toBe(true);
    expect(Object.keys(config.targets)).toEqual(['province']);
  });

  it('refuse `constructor` as a name, at its key', async () => {
    const text = VALID_CONFIG.replace(PIPELINE, '  constructor:\n')
      .replace('  province: {', '  constructor: {')
      .replace('targets: [province]', 'targets: [constructor]');
    expect(await nameProblems(text)).toEqual([
      expect.objectContaining({
        line: 7,
        column: 3,
        path: 'pipelines.constructor',
        message: expect.stringContaining('`constructor` is not a valid name'),
      }),
      expect.objectContaining({
        line: 19,
        column: 3,
        path: 'targets.constructor',
        message: expect.stringContaining('`constructor` is not a valid name'),
      }),
    ]);
  });

  it('refuse `__proto__` and `toString` as names (the name pattern)', async () => {
    for (const name of ['__proto__', 'toString']) {
      expect(await nameProblems(VALID_CONFIG.replace(PIPELINE, `  ${name}:\n`))).toEqual([
        expect.objectContaining({
          line: 7,
          message: expect.stringContaining(`\`${name}\` is not a valid name`),
        }),
      ]);
    }
  });
});
