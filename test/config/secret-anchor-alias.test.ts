/**
 * A secret written unquoted that starts with `&` or `*` is YAML syntax, not text: `&Gx9 k2` is the
 * anchor `Gx9` on the value `k2`, loaded as the secret `k2` without a word; `*Gx9k2` is an alias
 * of an anchor the file lacks, reported as "expected string, got null"; `& k2` as the parser's
 * "Anchor cannot be an empty string". Each is now a problem at the line that says what YAML read
 * and to quote the value, quoting no part of it.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const KEY = { 'data/keys/seal.key.pem': KEY_PEM };

const FLOW_TARGET = /^ {2}province: \{.*$/m;
const withSecret = (secret: string): string => {
  expect(VALID_CONFIG).toMatch(FLOW_TARGET);
  return VALID_CONFIG.replace(
    FLOW_TARGET,
    [
      '  province:',
      '    kind: rest-json',
      '    url: "http://127.0.0.1:7801"',
      '    auth:',
      '      scheme: hmac',
      '      appKey: demo',
      `      secret: ${secret}`,
    ].join('\n'),
  );
};

async function secretProblem(secret: string) {
  const text = withSecret(secret);
  const { problems } = await problemsOf(text);
  const line = positionOf(text, `secret: ${secret}`).line;
  const here = problems.filter((p) => p.line === line);
  expect(here).toHaveLength(1);
  const all = problems.map((p) => p.message).join('\n');
  return { message: here[0]?.message ?? '', all };
}

describe('a secret starting with & or * unquoted', () => {
  it('`&Gx9 k2` is an anchor on `k2`: refused, not loaded as k2', async () => {
    const { message, all } = await secretProblem('&Gx9 k2');
    expect(message).toMatch(/starts with `&`.*anchor.*quote/);
    expect(all).not.toMatch(/Gx9|k2/);
  });

  it('`& k2` says so too, not only that an anchor cannot be empty', async () => {
    const { message, all } = await secretProblem('& k2');
    expect(message).toMatch(/starts with `&`.*anchor.*quote/);
    expect(all).not.toMatch(/k2/);
  });

  it('`*Gx9k2` is an alias of no anchor: said so, not "expected string, got null"', async () => {
    const { message, all } = await secretProblem('*Gx9k2');
    expect(message).toMatch(/starts with `\*`.*alias.*quote/);
    expect(all).not.toMatch(/Gx9k2|got null/);
  });

  it('quoted, the same secrets load as written', async () => {
    for (const secret of ['&Gx9 k2', '& k2', '*Gx9k2']) {
      const file = await writeConfig(withSecret(JSON.stringify(secret)), KEY);
      const config = await loadConfig({ file, env: {} });
      const target = config.targets.province as unknown as { auth: { secret: string } };
      expect(target.auth.secret).toBe(secret);
    }
  });
});

describe('anchors and aliases in use', () => {
  it('an anchor an alias uses still loads', async () => {
    const text = withSecret('*app').replace('appKey: demo', 'appKey: &app demo');
    const config = await loadConfig({ file: await writeConfig(text, KEY), env: {} });
    const target = config.targets.province as unknown as { auth: { appKey: string; secret: string } };
    expect(target.auth).toMatchObject({ appKey: 'demo', secret: 'demo' });
  });

  it('a non-secret value naming no anchor names the alias', async () => {
    const text = VALID_CONFIG.replace('trim: all', 'trim: *all');
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/alias `\*all`.*quote/);
  });
});
