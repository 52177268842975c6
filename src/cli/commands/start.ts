import { parseArgs } from 'node:util';
import { Junction } from '../../app.js';
import { loadConfig, settingsGroups } from '../../core/config.js';
import { tuneHeapForServer } from '../../core/heap-tuning.js';
import { createLogger } from '../../core/logger.js';
import { declared } from '../../core/settings/group.js';
import { PERSONALITIES } from '../../personalities.js';
import { HelpShown, UsageError } from '../args.js';
import { printBanner, wantsPrettyLogs } from './start-banner.js';
import { startUsage } from './start-usage.js';

export async function startCommand(argv: string[]): Promise<void> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' }, help: { type: 'boolean' } };
  for (const d of settingsGroups(PERSONALITIES).flatMap(declared)) options[d.flag] = { type: d.spec.arg === null ? 'boolean' : 'string' };
  let values: Record<string, string | boolean>;
  try {
    ({ values } = parseArgs({ args: argv, options, allowNegative: true } as Parameters<typeof parseArgs>[0]) as
      { values: Record<string, string | boolean> });
  } catch (err) {
    throw new UsageError((err as Error).message, startUsage(PERSONALITIES));
  }
  if (values.help === true) {
    process.stdout.write(startUsage(PERSONALITIES));
    throw new HelpShown();
  }
  delete values.help;
  const config = loadConfig(PERSONALITIES, values);
  tuneHeapForServer();
  const pretty = wantsPrettyLogs(config.logFormat);
  const logger = await createLogger(config.logLevel, pretty);
  // The handlers go first: Junction.start logs "junction ready" before it returns, and a
  // supervisor that signals as soon as it reads that line must get a graceful stop, not the
  // default action of SIGTERM (a kill).
  let starting: Promise<Junction> | null = null;
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    starting!.then((j) => j.stop()).then(() => process.exit(0), (err: unknown) => { logger.error({ err }, 'shutdown failed'); process.exit(1); });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  starting = Junction.start(config, { registry: PERSONALITIES, logger });
  const junction = await starting;
  if (pretty) printBanner(junction, PERSONALITIES);
}
