import type { TargetConfig } from '../../config/types.js';
import type { TargetAdapter } from './target.js';

/** Builds the configured target adapter; the implementation module loads only when that kind is used. */
export async function createTarget(name: string, config: TargetConfig): Promise<TargetAdapter> {
  switch (config.kind) {
    case 'rest-json': {
      const { RestJsonTarget } = await import('./rest-json/rest-json-target.js');
      return new RestJsonTarget(name, config);
    }
  }
}
