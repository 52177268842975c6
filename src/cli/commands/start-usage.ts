import { settingsGroups } from '../../core/config.js';
import type { Personality } from '../../core/personality.js';
import { settingsUsage } from '../../core/settings/usage.js';

/** `junction start --help`, made from the settings every group declares. */
export function startUsage(registry: readonly Personality[]): string {
  return `usage: junction start [options]

Run the server in the foreground; SIGTERM or Ctrl-C stops it gracefully.
Settings come from defaults < a personality's own file (--zk-config zoo.cfg, --amqp-config
rabbitmq.conf) < --config FILE (JSON) < JUNCTION_* environment (JUNCTION_DATA_DIR …) < flags:

  --config FILE                     JSON config file (keys: dataDir, bind …; a section per personality)

${settingsUsage(settingsGroups(registry))}`;
}
