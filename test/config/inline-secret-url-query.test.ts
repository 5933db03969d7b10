// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * A gateway's credential written into a target's URL as a query parameter (`?access_token=…`,
 * `&appSecret=…`) is a secret written inline as a `password:` is: `config check` warns of it,
 * naming the parameter and never its value. One read through a reference is not warned of, nor
 * is a parameter that names no secret.
 */
import { describe, expect, it } from 'vitest';
import { inlineSecrets } from '../../config/inline-secrets.js';

const FILE = '/nowhere/licbridge.yaml';
const ENV = { GW_TOKEN: 'from-env' };

const warningsFor = (url: string): string[] =>
  inlineSecrets(
    `catalog: ./catalog\nledger: { url: "sqlite://./l.db" }\ntargets:\n  province:\n    kind: rest-json\n    url: "${url}"\n`,
    FILE,
    ENV,
  );

describe('a secret written into a URL as a query parameter', () => {
  it.each([
    ['https://gw.example/api?access_token=Tk-written-here', 'access_token'],
    ['https://gw.example/api?region=37&appSecret=Tk-written-here', 'appSecret'],
    ['https://gw.example/api?api-key=Tk-written-here#top', 'api-key'],
  ])('is warned of, naming the parameter: %s', (url, name) => {
    const warnings = warningsFor(url);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\/nowhere\/licbridge\.yaml:6:10: targets\.province\.url: /);
    expect(warnings[0]).toContain(`\`${name}\``);
    expect(warnings[0]).not.toContain('Tk-written-here');
  });

  it.each([
    'https://gw.example/api?access_token=${env:GW_TOKEN}',
    'https://gw.example/api?region=37&page=1',
    'https://gw.example/api?token=',
    'https://gw.example/api',
  ])('is not warned of: %s', (url) => {
    expect(warningsFor(url)).toEqual([]);
  });
});
