/**
 * A CA file a connection reads as it opens, for `config check` (./tls-findings.ts tlsSettingProblems).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Problem } from '../core/errors.js';
import { readFailure } from '../core/read-failure.js';
import { holdsCaCertificate } from '../core/tls.js';
import { configNodes, referencedFiles } from './config-nodes.js';
import { tlsConnections } from './tls-connections.js';
import type { Config } from './types.js';

/** The files node-postgres reads from `ledger.url` as it connects (pg-connection-string), by what they hold. */
const LEDGER_FILES = { sslrootcert: 'CA file', sslcert: 'client certificate', sslkey: 'client key' } as const;

/**
 * A CA file a connection reads as it opens, which `config check` passed while the connection then
 * failed: a `sslrootcert` (or `sslcert`, `sslkey`) of `ledger.url` that cannot be read, which
 * node-postgres reads with the URL and fails on; a `tls.ca` that holds no certificate, as a file
 * name written without `${file:…}` does: Node takes it as PEM text of no certificate, so the
 * connection trusts no CA and refuses every server as untrusted. Named by the setting, the file and
 * why it cannot be read; never the URL (it may hold a password), nor a file's or variable's content.
 */
export function caFileProblems(config: Readonly<Config>, env: NodeJS.ProcessEnv = process.env): Problem[] {
  const noCertificate = tlsConnections(config).filter(
    (c) => c.tls?.ca !== undefined && c.tls.ca.trim() !== '' && !holdsCaCertificate(c.tls.ca),
  );
  const ledgerFiles = ledgerUrlFiles(config.ledger.url).flatMap(({ setting, file }) => {
    const why = unreadableFile(file);
    return why ? [{ setting, file, why }] : [];
  });
  if (noCertificate.length === 0 && ledgerFiles.length === 0) return [];
  const nodes = configNodes(config.file, env);
  const at = (path: string, message: string): Problem => {
    const node = nodes.get(path);
    return { file: config.file, line: node?.value.line ?? 1, column: node?.value.column ?? 1, path, message };
  };
  const out = noCertificate.map((c) => {
    const path = `${c.key}.ca`;
    const ref = nodes.get(path)?.ref;
    const ca = (c.tls?.ca ?? '').trim();
    const refuses = `connecting to ${c.connection} trusts no CA then and refuses every server`;
    if (ref === undefined && looksLikeFileName(ca)) {
      // Where `${file:…}` would read it: the config file's folder for a relative path; `~` is
      // not expanded there (config/refs.ts), so no file is looked for.
      if (ca.startsWith('~'))
        return at(
          path,
          `\`${ca}\` is a file name, not PEM text: ${refuses}; write \`\${file:…}\` with its absolute path`,
        );
      const file = resolve(dirname(config.file), ca);
      const why = unreadableFile(file);
      const then = why
        ? `${file} cannot be read: ${why}: put the CA certificates there, and write \`\${file:${ca}}\``
        : `write \`\${file:${ca}}\` to read the file`;
      return at(path, `\`${ca}\` is a file name, not PEM text: ${refuses}; ${then}`);
    }
    const read = ref ? referencedFiles(ref, dirname(config.file)) : [];
    const what = ref
      ? `\`${ref}\`${read.length > 0 ? ` (file ${read.join(', ')})` : ''} resolves to text`
      : 'holds text';
    return at(
      path,
      `${what} with no PEM certificate (no \`-----BEGIN CERTIFICATE-----\` line): ${refuses}; a file is read with \`\${file:…}\`, and a DER file is converted to PEM first (\`openssl x509 -inform der\`)`,
    );
  });
  for (const { setting, file, why } of ledgerFiles) {
    out.push(
      at(
        'ledger.url',
        `\`${setting}\` names ${file}, which cannot be read: ${why}; connecting to the ledger reads it and fails: put the ${LEDGER_FILES[setting]} there, or correct the path`,
      ),
    );
  }
  return out;
}

/** `sslrootcert`, `sslcert` and `sslkey` of a PostgreSQL `ledger.url`, as node-postgres reads them (from the working folder). */
function ledgerUrlFiles(url: string): { setting: keyof typeof LEDGER_FILES; file: string }[] {
  if (!/^postgres(ql)?:\/\//.test(url)) return [];
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return [];
  }
  const out: { setting: keyof typeof LEDGER_FILES; file: string }[] = [];
  for (const setting of Object.keys(LEDGER_FILES) as (keyof typeof LEDGER_FILES)[]) {
    // Empty counts as unset, as the parser tests truthiness.
    const file = params.get(setting);
    if (file) out.push({ setting, file: resolve(file) });
  }
  return out;
}

/** Why `file` cannot be read, or undefined when it can; its content is never read. */
function unreadableFile(file: string): string | undefined {
  try {
    if (statSync(file).isDirectory()) return 'a folder, not a file';
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (e) {
    return readFailure(e);
  }
}

/** One word that reads as a path to a certificate file, not as PEM or DER text pasted in. */
function looksLikeFileName(text: string): boolean {
  if (text.length > 1024 || /\s/.test(text)) return false;
  return /^(~|\.{1,2})?[\\/]|^[A-Za-z]:[\\/]|\.(pem|crt|cer|ca-bundle|bundle|der|txt)$/i.test(text);
}
