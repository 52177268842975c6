import { parseArgs } from 'node:util';
import { Junction } from '../../app.js';
import { loadConfig, SETTING_FLAGS } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { HelpShown, UsageError } from '../args.js';
import { START_USAGE } from './start-usage.js';


export async function startCommand(argv: string[]): Promise<void> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' }, help: { type: 'boolean' } };
  for (const flag of SETTING_FLAGS) options[flag] = { type: flag === 'auth' ? 'boolean' : 'string' };
  let values: Record<string, string | boolean>;
  try {
    ({ values } = parseArgs({ args: argv, options, allowNegative: true } as Parameters<typeof parseArgs>[0]) as
      { values: Record<string, string | boolean> });
  } catch (err) {
    throw new UsageError((err as Error).message, START_USAGE);
  }
  if (values.help === true) {
    process.stdout.write(START_USAGE);
    throw new HelpShown();
  }
  delete values.help;
  const config = loadConfig(values);
  const logger = createLogger(config.logLevel);
  const junction = await Junction.start(config, { logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    junction.stop().then(() => process.exit(0), (err: unknown) => { logger.error({ err }, 'shutdown failed'); process.exit(1); });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
