// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * An unquoted secret followed by ` #` on its line is cut there by YAML (`password: abc #def` loads
 * `abc`) and loaded without a word. Refused at its file and line, never showing the value or the
 * comment (which may be the secret's tail); quoted, on a line of its own, or written as a
 * reference, it loads.
 */
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const DB = (password: string) =>
  VALID_CONFIG.replace(
    '  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }\n',
    `  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }\n  food-db:\n    kind: postgres\n    connection:\n      host: db.example\n      database: spxk\n      user: reader\n      password: ${password}\n`,
  );

describe('a secret cut short by a comment', () => {
  it('is refused at its line, naming the key and neither the value nor the comment', async () => {
    const text = DB('Gx7q #9Lk2');
    const { problems, error, file } = await problemsOf(text);
    const at = positionOf(text, '      password: ');
    expect(problems.map((p) => [p.path, p.line])).toEqual([['sources.food-db.connection.password', at.line]]);
    const shown = formatConfigError(error);
    expect(shown).toContain(`${file}:${at.line}:`);
    expect(shown).toContain('`password` is a secret written unquoted with a comment after it');
    expect(shown).not.toContain('Gx7q');
    expect(shown).not.toContain('9Lk2');
  });

  it('a secret that reads as a number or a boolean before the comment too, not as a type to quote', async () => {
    // `123456 #789` loads the number 123456: "expected string, quote it" led to `"123456" #789`,
    // which loads the cut text. An empty value with a comment is the schema's (a missing secret).
    for (const password of ['123456 #789', 'true #ly', '0x1F #2A']) {
      const text = DB(password);
      const { problems } = await problemsOf(text);
      // Beside the schema's "expected string" (it is a number or a boolean as loaded).
      const cutShort = problems.filter((p) =>
        p.message.startsWith('`password` is a secret written unquoted'),
      );
      expect(
        cutShort.map((p) => p.path),
        password,
      ).toEqual(['sources.food-db.connection.password']);
      expect(problems.map((p) => p.message).join('\n')).not.toMatch(/789|ly|2A/);
    }
    const { problems } = await problemsOf(DB('# nothing yet'));
    expect(problems.map((p) => p.message).join('\n')).not.toContain('written unquoted');
  });

  it('a signer key and a Redis password too; a stream key column with a comment is no secret', async () => {
    const text = VALID_CONFIG.replace(
      'stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
      'stream:\n      table: T_SPXK_XKZ\n      key: ID # the primary key\n      cursor: GXSJ',
    )
      .replace(
        'queue: { redis: "${env:LICBRIDGE_REDIS_URL:-redis://127.0.0.1:6379}", prefix: licbridge-demo }',
        'queue:\n  redis:\n    sentinels: ["127.0.0.1:26379"]\n    name: mymaster\n    password: s3cr #et\n  prefix: licbridge-demo',
      )
      .replace(
        '  district-seal: { kind: local-sm2, key: "${file:./data/keys/seal.key.pem}", sealId: "37021100001" }',
        '  district-seal:\n    kind: local-sm2\n    key: MHcCAQEEI #the rest\n    sealId: "37021100001"',
      );
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['queue.redis.password', 'signers.district-seal.key']);
  });

  it('loads quoted, with the comment on its own line, or as a reference with a comment', async () => {
    for (const password of ['"Gx7q #9Lk2" # quoted', 'Gx7q#9Lk2 ', '${env:FOOD_PW} # from the vault']) {
      const file = await writeConfig(DB(password), { 'data/keys/seal.key.pem': 'x' });
      const config = await loadConfig({ file, env: { FOOD_PW: 'pw' } });
      const connection = config.sources['food-db']?.connection as { password?: string } | undefined;
      expect(connection?.password).toBe(
        password.startsWith('"') ? 'Gx7q #9Lk2' : password.startsWith('$') ? 'pw' : 'Gx7q#9Lk2',
      );
    }
  });
});
