import type { Junction } from '../../app.js';
import type { Personality } from '../../core/personality.js';

/** --log-format auto: readable lines and a banner for a person at a terminal, JSON lines otherwise. */
export function wantsPrettyLogs(format: 'auto' | 'json' | 'pretty'): boolean {
  return format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
}

/** What a person starting the server wants to know first: where everything is. */
export function printBanner(junction: Junction, registry: readonly Personality[]): void {
  const { config } = junction;
  const host = config.bind.includes(':') ? `[${config.bind}]` : config.bind;
  const ports = junction.ports();
  const lines = [
    '',
    `  Junction ${junction.version}   data ${config.dataDir} (fsync ${config.fsync})   auth ${config.auth ? 'on' : 'off'}`,
  ];
  for (const p of registry) {
    const running = junction.personality(p.name);
    if (!running) continue;
    const where = running.url?.(host) ?? Object.values(running.ports()).map((port) => `${host}:${port}`).join(' ');
    lines.push(`  ${p.title.padEnd(16)}${where}`);
  }
  lines.push(`  ${'admin'.padEnd(16)}http://${host}:${ports.admin}   (/metrics, /api/status)`);
  const generated = junction.auth.generatedAdmin;
  if (generated) lines.push(`  initial admin "${generated.username}": generated password written to ${generated.passwordFile}`);
  lines.push('  Ctrl-C stops the server.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}
