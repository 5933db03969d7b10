// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * `config check`'s warning about a secret read from a file others can read quoted the value as
 * written in the config; a secret written partly inline (`password: "Inl1ne-${file:./pw}"`, a
 * URL with its password inline and its host from a file) printed its inline part on stderr. The
 * warning names the `${file:…}` reference that reads the file instead, and nothing else of the value.
 */
import { describe, expect, it } from 'vitest';
import { openSecretFiles } from '../../config/secret-file-modes.js';
import { openSecretFilesDir } from './open-secret-file.js';

const { file, open } = openSecretFilesDir('lb-secret-warning-');

describe('the warning about a secret file others can read', () => {
  it('names the reference, not the inline part of the secret', () => {
    const pw = open('dashboard.pw', 'tail-of-it\n');
    const text = 'serve:\n  auth:\n    username: ops\n    password: "Inl1ne-${file:./dashboard.pw}"\n';
    const warnings = openSecretFiles(text, file, {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${file}:4:`);
    expect(warnings[0]).toContain('serve.auth.password');
    expect(warnings[0]).toContain(
      `\`\${file:./dashboard.pw}\` reads ${pw}, open to group or others (mode 0644)`,
    );
    expect(warnings[0]).not.toContain('Inl1ne');
  });

  it('in a URL with its password inline', () => {
    const host = open('ledger.host', 'db.example\n');
    const text = 'ledger: { url: "postgres://lb:Inl1ne-Pw@${file:./ledger.host}:5432/ledger" }\n';
    const warnings = openSecretFiles(text, file, {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`\`\${file:./ledger.host}\` reads ${host}`);
    expect(warnings[0]).not.toContain('Inl1ne');
  });

  it('two references, each named with the file it reads', () => {
    const a = open('a.pw', 'a\n');
    const b = open('b.pw', 'b\n');
    const text = 'serve:\n  auth:\n    token: "${file:./a.pw}$${file:./c}${file:./b.pw}"\n';
    const warnings = openSecretFiles(text, file, {});
    expect(warnings.map((w) => w.slice(w.indexOf('`')))).toEqual([
      `\`\${file:./a.pw}\` reads ${a}, open to group or others (mode 0644); run chmod 600 on it`,
      `\`\${file:./b.pw}\` reads ${b}, open to group or others (mode 0644); run chmod 600 on it`,
    ]);
  });
});
