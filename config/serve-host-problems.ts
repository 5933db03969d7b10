import { isIP } from 'node:net';
import type { Problem } from '../core/errors.js';
import { HOST_NAME_PATTERN } from './schema/serve.js';
import { asRecord, faultWithin, jsonPointer, problemAtPath, type YamlTree } from './yaml-tree.js';

const HOST_NAME = new RegExp(HOST_NAME_PATTERN);

/**
 * `serve.host` is the address `licbridge serve` binds, and the schema took any text: `0.0.0.0:9464`,
 * `http://0.0.0.0` or `[::1]` loaded, `config check` said ok, and `serve` failed at start (`cannot
 * listen on 0.0.0.0:9464:9464: ENOTFOUND`) with no file or line. An IP address or a host name is
 * asked for at its line, saying what the value holds besides one. Empty or not text is the schema's.
 */
export function serveHostProblems(
  tree: YamlTree,
  file: string,
  schemaErrorPaths: readonly string[],
): Problem[] {
  const segments = ['serve', 'host'];
  const pointer = jsonPointer(segments);
  const host = asRecord(asRecord(tree.data)?.serve)?.host;
  if (typeof host !== 'string' || host === '' || isIP(host) !== 0 || HOST_NAME.test(host)) return [];
  if (faultWithin(schemaErrorPaths, pointer) || tree.failedRefs.has(pointer)) return [];
  const ref = tree.nodes.get(pointer)?.ref;
  const got = ref === undefined ? `\`${host}\`` : `a string from \`${ref}\``;
  const why = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(host)
    ? ': write the address without a scheme'
    : /^\[[^\]]*\]$/.test(host)
      ? ': write an IPv6 address without brackets (`::1`)'
      : /^(\[[^\]]*\]|[^:]*):[0-9]+$/.test(host)
        ? ': the port goes in `serve.port`'
        : '';
  return [
    problemAtPath(
      tree,
      file,
      segments,
      `expected an IP address or a host name to bind (\`127.0.0.1\`, \`0.0.0.0\`, \`::\`), got ${got}${why}`,
    ),
  ];
}
