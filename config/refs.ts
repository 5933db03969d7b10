// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { utf8Text } from '../core/not-utf8.js';
import { readFailure } from '../core/read-failure.js';

/**
 * `${env:NAME}`, `${env:NAME:-default}` and `${file:path}` references inside config strings, so
 * secrets and keys stay out of the config file. `$${` writes a literal `${`.
 *
 * A resolved value may be a password or a private key: nothing here ever puts one in a message.
 */

export interface RefContext {
  /** Where `${env:…}` looks names up. */
  readonly env: NodeJS.ProcessEnv;
  /** Folder `${file:…}` paths are relative to: the config file's folder. */
  readonly baseDir: string;
  /**
   * Reads a referenced file: its bytes (checked to be UTF-8 text), or text already decoded.
   * @defaultValue the file's bytes, a regular file of at most FILE_REF_MAX_BYTES
   */
  readonly readFile?: (absolutePath: string) => string | Uint8Array;
  /**
   * The string is a secret written inline (a password holding `${`): a problem never quotes it.
   * @defaultValue false
   */
  readonly secret?: boolean;
}

export interface RefResolution {
  /** The string with every reference replaced; meaningful only when `problems` is empty. */
  readonly value: string;
  /** True when the string held at least one reference, so the value must never be echoed. */
  readonly hasRefs: boolean;
  /** One message per reference that could not be resolved; never holds a resolved value. */
  readonly problems: readonly string[];
  /**
   * Each value an environment variable or a file supplied, with the reference as written
   * (`${env:NAME}`); a `:-default` written in the config is not one.
   */
  readonly secrets: readonly { readonly value: string; readonly ref: string }[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Resolve every reference in one string scalar. */
export function resolveRefs(raw: string, ctx: RefContext): RefResolution {
  if (!raw.includes('${')) return { value: raw, hasRefs: false, problems: [], secrets: [] };
  const problems: string[] = [];
  const secrets: { value: string; ref: string }[] = [];
  let out = '';
  let hasRefs = false;
  let i = 0;
  while (i < raw.length) {
    const start = raw.indexOf('${', i);
    if (start < 0) {
      out += raw.slice(i);
      break;
    }
    // `$${` is the escape: emit a literal `${` and keep scanning after it.
    if (start > 0 && raw[start - 1] === '$') {
      out += `${raw.slice(i, start - 1)}\${`;
      i = start + 2;
      continue;
    }
    out += raw.slice(i, start);
    const end = raw.indexOf('}', start + 2);
    if (end < 0) {
      const text = ctx.secret ? '${ (the rest not shown: a secret)' : shorten(raw.slice(start));
      problems.push(`unterminated reference \`${text}\`; write \`$\${\` for a literal \`\${\``);
      break;
    }
    hasRefs = true;
    const body = raw.slice(start + 2, end);
    const resolved = resolveOne(body, ctx);
    if (typeof resolved === 'string') {
      out += resolved;
      if (!isDefault(body, ctx.env)) secrets.push({ value: resolved, ref: `\${${refName(body)}}` });
    } else problems.push(resolved.problem);
    i = end + 1;
  }
  return { value: out, hasRefs, problems, secrets };
}

/**
 * The `${file:…}` references of a string as written, each whole, read by `resolveRefs`'s rules
 * (`$${` is no reference): what a message may name of a secret's scalar, which can hold inline text.
 */
export function fileRefsIn(raw: string): string[] {
  const found: string[] = [];
  let i = 0;
  for (;;) {
    const start = raw.indexOf('${', i);
    if (start < 0) return found;
    if (start > 0 && raw[start - 1] === '$') {
      i = start + 2;
      continue;
    }
    const end = raw.indexOf('}', start + 2);
    if (end < 0) return found;
    if (raw.startsWith('${file:', start)) found.push(raw.slice(start, end + 1));
    i = end + 1;
  }
}

/** Whether an `${env:NAME:-default}` resolved to the default written in the config itself. */
function isDefault(body: string, env: NodeJS.ProcessEnv): boolean {
  if (!body.startsWith('env:')) return false;
  const sep = body.indexOf(':-');
  if (sep < 0) return false;
  const found = envValue(env, body.slice(4, sep));
  return found === undefined || found === '';
}

/** The reference without its default: `${env:NAME}` names the variable, not the fallback text. */
function refName(body: string): string {
  const sep = body.startsWith('env:') ? body.indexOf(':-') : -1;
  return sep < 0 ? body : body.slice(0, sep);
}

function resolveOne(body: string, ctx: RefContext): string | { problem: string } {
  if (body.startsWith('env:')) return resolveEnv(body.slice(4), ctx.env, ctx.secret === true);
  if (body.startsWith('file:')) return resolveFile(body.slice(5), ctx);
  const shown = ctx.secret ? '…' : shorten(body);
  return {
    problem: `unknown reference \`\${${shown}}\`${ctx.secret ? ' (not shown: a secret)' : ''}; use \`\${env:NAME}\`, \`\${env:NAME:-default}\` or \`\${file:path}\` (write \`$\${\` for a literal \`\${\`)`,
  };
}

function resolveEnv(spec: string, env: NodeJS.ProcessEnv, secret: boolean): string | { problem: string } {
  const sep = spec.indexOf(':-');
  const name = sep < 0 ? spec : spec.slice(0, sep);
  if (!ENV_NAME.test(name)) {
    const shown = secret ? '…' : shorten(name);
    return { problem: `\`\${env:${shown}}\`: not a valid environment variable name` };
  }
  // `${env:A:-${env:B}}` ends at the first `}`: the default would be the text `${env:B` and a `}`
  // would follow the value, whether `A` is set or not. Shells and Compose read it nested; here it
  // is no reference, and said so rather than loaded as text.
  if (sep >= 0 && spec.includes('${', sep + 2)) {
    return {
      problem: `\`\${env:${name}:-…}\`: a default cannot hold a reference (\`\${\` inside \`\${env:…}\` is not read as one); write the default out, or set \`${name}\``,
    };
  }
  const found = envValue(env, name);
  if (sep >= 0) {
    // Shell semantics of `:-`: the default also stands in for a variable set to the empty string.
    return found === undefined || found === '' ? spec.slice(sep + 2) : found;
  }
  if (found === undefined) {
    return {
      problem: `environment variable \`${name}\` is not set (referenced as \`\${env:${name}}\`; add \`:-default\` to make it optional)`,
    };
  }
  return found;
}

/**
 * The variable's value, if the environment has it: `env.toString` is a method every object
 * inherits, and `${env:toString}` read it as the variable's value.
 */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

function resolveFile(path: string, ctx: RefContext): string | { problem: string } {
  if (path.trim() === '') return { problem: '`${file:}` needs a path' };
  // A shell expands `~`; here a relative path is the config file's folder's, and `~/key.pem` named
  // a file `~/key.pem` there. Expanding it would name the home of whoever runs licbridge.
  if (path.startsWith('~')) {
    return {
      problem: `\`\${file:${path}}\`: \`~\` is not expanded: a relative path is the config file's folder's, so it would name a folder \`~\` there; write the absolute path, or one relative to the config file`,
    };
  }
  const absolute = isAbsolute(path) ? path : resolve(ctx.baseDir, path);
  try {
    const content = (ctx.readFile ?? readFileRef)(absolute);
    if (typeof content === 'string') return fileValue(content);
    // Bytes that do not decode (a binary DER key, a secret saved as GBK) would reach a signer or a
    // platform as U+FFFD, other bytes than the file holds; a U+FFFD the file holds is text.
    const { text, problem } = utf8Text(content, absolute);
    if (problem) {
      return {
        problem: `cannot read \`\${file:${path}}\` (${absolute}): not UTF-8 text (a binary DER key? give its PEM form)`,
      };
    }
    return fileValue(text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const why =
      code === NOT_REGULAR
        ? 'not a regular file'
        : code === TOO_LARGE
          ? `larger than ${FILE_REF_MAX_BYTES / 1024 / 1024} MiB, more than any key, certificate chain or secret`
          : readFailure(e);
    return { problem: `cannot read \`\${file:${path}}\` (${absolute}): ${why}` };
  }
}

/**
 * PEM (certificates, keys) is kept byte for byte, trailing newline included, as its parsers
 * expect. Anything else — a password, token or HMAC secret — loses its trailing line ends, as
 * `$(cat file)` would: a secret saved by `echo` or a Windows editor ends in "\n" or "\r\n", and
 * kept, it made every signature of a request wrong and every delivery refused. Neither keeps a
 * leading byte order mark, which Windows editors write at the start of a "UTF-8" file: it is no
 * part of the text, and kept, a secret was another secret and a PEM key did not parse.
 */
export function fileValue(content: string): string {
  const text = content.startsWith('\uFEFF') ? content.slice(1) : content;
  if (text.includes('-----BEGIN ')) return text;
  return text.replace(/[\r\n]+$/, '');
}

const NOT_REGULAR = 'LB_NOT_REGULAR';
const TOO_LARGE = 'LB_TOO_LARGE';

/**
 * The most a `${file:…}` reference reads: 1 MiB, many times a PEM key, a certificate chain or a
 * CA bundle. A reference to a log or a disk image was read whole into memory, more of it than
 * the process had.
 */
export const FILE_REF_MAX_BYTES = 1024 * 1024;

/** What is read past what a file's stat says, a chunk at a time: a /proc file's stat says 0. */
const READ_ON_BYTES = 64 * 1024;

/**
 * A regular file only (a symlink to one is fine): a device such as /dev/zero was read until the
 * process had gigabytes, and a FIFO blocked the load for good waiting for a writer. At most
 * FILE_REF_MAX_BYTES, counted as read, not as stat says: a file growing meanwhile, or one of
 * /proc whose size reads 0, is held to it too. Memory goes with the file: the size stat gives, and
 * a byte more to see whether it ends there; only a file that goes on past it is read on in chunks.
 * A buffer of the cap for every reference held 1 MiB for a 40-byte secret.
 */
export function readFileRef(path: string): Uint8Array {
  const notRegular = () => Object.assign(new Error('not a regular file'), { code: NOT_REGULAR });
  // Before opening: opening a FIFO waits for a writer.
  if (!statSync(path).isFile()) throw notRegular();
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw notRegular();
    const chunks: Buffer[] = [];
    let total = 0;
    let want = Math.min(stat.size, FILE_REF_MAX_BYTES) + 1;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(want, FILE_REF_MAX_BYTES + 1 - total));
      let n = 0;
      for (let got = -1; got !== 0 && n < chunk.length; n += got) {
        got = readSync(fd, chunk, n, chunk.length - n, null);
      }
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (n < chunk.length || total > FILE_REF_MAX_BYTES) break;
      want = READ_ON_BYTES;
    }
    if (total > FILE_REF_MAX_BYTES) throw Object.assign(new Error('too large'), { code: TOO_LARGE });
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

function shorten(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
