import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The reference every storage benchmark is compared with: dd's sequential direct-I/O write
 * bandwidth of `dir`'s file system, with one fdatasync at the end, in MB/s (10^6 bytes, dd's unit):
 *   dd if=/dev/zero of=<dir>/dd.tmp bs=1M count=<mib> oflag=direct conv=fdatasync
 * With `direct` false, the same through the page cache: the ceiling of a writer that cannot use
 * O_DIRECT (Node cannot; Kafka does not either).
 */
export function diskBandwidth(dir: string, mib = 256, direct = true): number {
  const file = join(dir, 'dd.tmp');
  try {
    const dd = spawnSync('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${mib}`, ...(direct ? ['oflag=direct'] : []), 'conv=fdatasync'], { encoding: 'utf8' });
    const match = /(\d+) bytes .* copied, ([\d.,]+) s/.exec(dd.stderr);
    if (dd.status !== 0 || !match) throw new Error(`dd failed: ${dd.stderr}`);
    return Number(match[1]) / Number(match[2]!.replace(',', '.')) / 1e6;
  } finally {
    rmSync(file, { force: true });
  }
}
