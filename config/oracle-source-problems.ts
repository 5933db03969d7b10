import { sourceKind } from '../connectors/kinds.js';
import type { Problem } from '../core/errors.js';
import { oracleAddressProblem, oracleWalletProblem } from '../core/oracle-tls.js';
import type { TlsSettings } from '../core/tls.js';
import { asRecord, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

/**
 * An Oracle source's `connection.tls` that node-oracledb thin mode cannot honour (a CA without the
 * client's certificate and key, or those without a CA), or a built TCPS address that would carry
 * Easy Connect settings, or a written `connectString` in plain TCP: each refused as the source
 * opens (core/oracle-tls.ts), so each is a problem at the value at fault here, as the front
 * database's are (its kind's `problems`), and `config check` does not say ok to a source that
 * cannot open. A source the schema found fault with is left to those errors. No value is quoted.
 */
export function oracleSourceProblems(
  tree: YamlTree,
  file: string,
  schemaErrorPaths: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(asRecord(asRecord(tree.data)?.sources) ?? {})) {
    const at = jsonPointer(['sources', name]);
    if (schemaErrorPaths.some((p) => p === at || p.startsWith(`${at}/`))) continue;
    const source = asRecord(value);
    // The kinds whose connections node-oracledb opens (DM's driver takes no `tls`).
    if (source === undefined || sourceKind(String(source.kind))?.frontDb?.tls !== 'oracle') continue;
    const connection = asRecord(source.connection);
    const tls = asRecord(connection?.tls) as TlsSettings | undefined;
    if (connection === undefined || tls === undefined) continue;
    const label = `source ${name}`;
    const wallet =
      connection.thickMode === true
        ? undefined
        : oracleWalletProblem({ label, on: 'an Oracle source', context: {} }, tls);
    if (wallet !== undefined) {
      problems.push(
        problemAtPath(tree, file, ['sources', name, 'connection', 'tls', wallet.key], wallet.message),
      );
    }
    const address = oracleAddressProblem(label, connection);
    if (address !== undefined) {
      problems.push(problemAtPath(tree, file, ['sources', name, 'connection', address.key], address.message));
    }
  }
  return problems;
}
