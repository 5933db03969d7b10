/**
 * What a target kind tells the rest of licbridge: its config `kind`, a title, the JSON Schema of
 * its config variant, whether licenses are delivered to it, and a lazy `open`. Each spec sits next
 * to its code (`adapters/platforms/<kind>/kind.ts`) and one line in `adapters/platforms/kinds.ts`
 * lists it; the config schema and `createTarget` read that list. Importing a spec loads no client.
 */
import type { Schema } from '../../config/schema/builders.js';
import type { Logger } from '../../core/logger.js';
import type { TokenShare } from './shared/auth/token-share.js';
import type { TargetAdapter } from './target.js';

export interface OpenTargetOptions {
  /** Folder relative paths in the target's config resolve against (the config file's). */
  baseDir?: string;
  /**
   * Where the deployment's processes share one OAuth2 token per platform client (the queue's
   * Redis; shared/auth/token-share.ts). @defaultValue none: the target fetches and keeps its own
   */
  tokenShare?: TokenShare;
  /** Where what opening or `checkConnection` finds worth a warning is told. @defaultValue the root logger */
  logger?: Logger;
}

/** A problem a kind finds in its config variant: `path` below `targets.<name>`, and what is wrong. */
export interface TargetConfigProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** `C`: the kind's config type (./<kind>/config.ts); `config/types.ts` derives `TargetConfig` from the registry's. */
export interface TargetKindSpec<C = unknown> {
  readonly kind: string;
  readonly title: string;
  /** The config variant, `kind` among its properties (config/schema/targets.ts joins them). */
  readonly schema: Schema;
  /** Whether pipelines deliver licenses to it (a `notify` gateway takes reminders instead). */
  readonly delivers: boolean;
  /**
   * Checks its schema cannot express (a value that may not be in two lists at once), run by the
   * config loader on a config the schema accepted: every command, `config check` first, refuses
   * the config with the file and line. Absent: the schema says it all.
   */
  problems?(name: string, config: C): readonly TargetConfigProblem[];
  /**
   * `config check --connect`: reaches the platform once and checks what opening would refuse,
   * writing nothing; throws an error naming the target when it cannot. Absent: a target with a
   * `url` is reached by a TCP connection, and one without is not reached.
   */
  checkConnection?(name: string, config: C, options: OpenTargetOptions): Promise<void>;
  /** Builds the adapter; its implementation module loads only now. Passes the target conformance suite. */
  open(name: string, config: C, options: OpenTargetOptions): Promise<TargetAdapter>;
}
