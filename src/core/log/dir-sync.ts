import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** fsync a directory so file creations, renames and deletions in it are durable. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** syncDir on libuv's pool; a directory removed meanwhile (a purge) has nothing left to sync. */
export async function syncDirAsync(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch((err: NodeJS.ErrnoException) => { if (err.code === 'ENOENT') return null; throw err; });
  if (!handle) return;
  try { await handle.sync(); } finally { await handle.close(); }
}
