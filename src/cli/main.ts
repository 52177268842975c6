#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { Junction } from '../app.js';
import { loadConfig, SETTING_FLAGS } from '../core/config.js';
import { JunctionError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';

const USAGE = `usage: junction <command> [options]

commands:
  start            run the server (see README for flags)
`;

async function start(argv: string[]): Promise<void> {
  const options: Record<string, { type: 'string' | 'boolean' }> = { config: { type: 'string' } };
  for (const flag of SETTING_FLAGS) options[flag] = { type: flag === 'auth' ? 'boolean' : 'string' };
  const { values } = parseArgs({ args: argv, options, allowNegative: true } as Parameters<typeof parseArgs>[0]);
  const config = loadConfig(values as Record<string, string | boolean>);
  const logger = createLogger(config.logLevel);
  const junction = await Junction.start(config, { logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    junction.stop().then(() => process.exit(0), (err) => { logger.error({ err }, 'shutdown failed'); process.exit(1); });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'start': return start(rest);
    case undefined: case 'help': case '--help': process.stdout.write(USAGE); return;
    default: throw new JunctionError('USAGE', `unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`junction: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof JunctionError && err.code === 'USAGE' ? 2 : 1);
});
