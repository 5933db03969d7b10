/**
 * Has this test file's config/loader.ts validate with the config validator compiled ahead of time
 * (the build's; ./config-validator.ts from the sources), as every command does. `loadConfig` loads
 * it before reading its file; `parseConfig` called first, alone, compiles the schema instead: in
 * each unit file, as each starts with licbridge's modules fresh (./fresh-modules.ts), ~0.4 s of
 * CPU, most of a short config test's time. A test that calls `parseConfig` awaits this first.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function usePrebuiltConfigValidator(): Promise<void> {
  const { loadConfig } = await import('../../config/loader.js');
  const { ConfigError } = await import('../../core/errors.js');
  // A file that is not there: the validator is loaded, then the read fails.
  const missing = join(tmpdir(), `licbridge-no-config-${randomUUID()}.yaml`);
  const loaded = await loadConfig({ file: missing, env: {} }).then(
    () => true,
    (e: unknown) => {
      if (e instanceof ConfigError && /config file not found/.test(e.message)) return false;
      throw e;
    },
  );
  if (loaded) throw new Error(`usePrebuiltConfigValidator: ${missing} should not exist`);
}
