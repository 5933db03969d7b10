import type { TargetConfig } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { TargetAdapter } from './target.js';

export interface CreateTargetOptions {
  /** Folder relative paths in the target's config resolve against (the config file's). */
  baseDir?: string;
}

/** Builds the configured target adapter; the implementation module loads only when that kind is used. */
export async function createTarget(
  name: string,
  config: TargetConfig,
  options: CreateTargetOptions = {},
): Promise<TargetAdapter> {
  switch (config.kind) {
    case 'notify':
      // config/reminder-refs.ts refuses a pipeline naming one; this guards callers in code.
      throw new LicbridgeError(
        ErrorCodes.USAGE,
        `target ${name}: a notify target sends reminders to holders; licenses cannot be delivered to it`,
        { context: { target: name } },
      );
    case 'rest-json': {
      const { RestJsonTarget } = await import('./rest-json/rest-json-target.js');
      return new RestJsonTarget(name, config);
    }
    case 'soap-xml': {
      const { SoapXmlTarget } = await import('./soap-xml/soap-xml-target.js');
      return new SoapXmlTarget(name, config);
    }
    case 'front-db': {
      const { FrontDbTarget } = await import('./front-db/front-db-target.js');
      return new FrontDbTarget(
        name,
        config,
        options.baseDir === undefined ? {} : { baseDir: options.baseDir },
      );
    }
  }
}
