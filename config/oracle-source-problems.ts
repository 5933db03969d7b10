import { sourceKind } from '../connectors/kinds.js';
import type { Problem } from '../core/errors.js';
import { oracleAddressProblem, oracleThickModeProblem, oracleWalletProblem } from '../core/oracle-tls.js';
import type { TlsSettings } from '../core/tls.js';
import { asRecord, faultWithin, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

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
    if (faultWithin(schemaErrorPaths, at)) continue;
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
  return [...problems, ...thickModeProblems(tree, file, schemaErrorPaths)];
}

/**
 * node-oracledb's thick mode is process-wide: once a source or front database with
 * `connection.thickMode: true` starts it, every Oracle connection of the process (each source, each front database: `run` opens
 * them all) is thick, and a `tls` written for thin mode would have its wallet and host check
 * ignored. Each such `tls` is a problem at its line (core/oracle-tls.ts refuses it as it opens).
 */
function thickModeProblems(tree: YamlTree, file: string, schemaErrorPaths: readonly string[]): Problem[] {
  const data = asRecord(tree.data);
  const oracle = (kind: unknown) => sourceKind(String(kind))?.frontDb?.tls === 'oracle';
  const connections: { path: string[]; label: string; connection: Record<string, unknown> | undefined }[] =
    [];
  for (const [name, value] of Object.entries(asRecord(data?.sources) ?? {})) {
    const source = asRecord(value);
    if (oracle(source?.kind))
      connections.push({
        path: ['sources', name],
        label: `source ${name}`,
        connection: asRecord(source?.connection),
      });
  }
  for (const [name, value] of Object.entries(asRecord(data?.targets) ?? {})) {
    const target = asRecord(value);
    if (target?.kind === 'front-db' && oracle(target.client))
      connections.push({
        path: ['targets', name],
        label: `target ${name}`,
        connection: asRecord(target.connection),
      });
  }
  const thick = connections.find((c) => c.connection?.thickMode === true);
  if (thick === undefined) return [];
  const problems: Problem[] = [];
  for (const c of connections) {
    if (c.connection?.tls === undefined || c.connection.thickMode === true) continue;
    const at = jsonPointer(c.path);
    if (faultWithin(schemaErrorPaths, at)) continue;
    const message = oracleThickModeProblem(c.label, thick.label);
    problems.push(problemAtPath(tree, file, [...c.path, 'connection', 'tls'], message));
  }
  return problems;
}
