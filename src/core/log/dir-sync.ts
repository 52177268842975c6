import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** fsync a directory so file creations, renames and deletions in it are durable. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** syncDir on libuv's pool. By default a directory removed meanwhile (a purge) has nothing left
 *  to sync; `ifMissing: 'throw'` where it must exist (a file was just renamed into it). */
export async function syncDirAsync(dir: string, ifMissing: 'skip' | 'throw' = 'skip'): Promise<void> {
  const handle = await open(dir, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' && ifMissing === 'skip') return null;
    throw err;
  });
  if (!handle) return;
  try { await handle.sync(); } finally { await handle.close(); }
}

/** Replace `path` by `bytes` so that a crash leaves the old file or the new one, whole: a temp
 *  file `<path>.tmp` written and fsynced, renamed over `path`, the directory fsynced. */
export async function replaceFileDurably(path: string, bytes: Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  await syncDirAsync(dirname(path), 'throw');
}
