// An fdatasync a test can hold, to see what waits for durability: inject `fdatasync` into a
// Storage (commit: { fdatasync }); while closed, every call waits until open(), then the real
// fdatasync runs.
import { fdatasync as fsFdatasync } from 'node:fs';

export interface GatedFdatasync {
  fdatasync(fd: number): Promise<void>;
  /** Hold every fdatasync from now on. */
  close(): void;
  /** Let the held ones (and later ones) run. */
  open(): void;
  /** fdatasyncs waiting at the gate now. */
  waiting(): number;
}

export function gatedFdatasync(): GatedFdatasync {
  let gate: Promise<void> | null = null;
  let release: (() => void) | null = null;
  let waiting = 0;
  return {
    async fdatasync(fd) {
      if (gate) {
        waiting++;
        await gate;
        waiting--;
      }
      await new Promise<void>((resolve, reject) => fsFdatasync(fd, (err) => (err ? reject(err) : resolve())));
    },
    close() { gate ??= new Promise((resolve) => { release = resolve; }); },
    open() { release?.(); gate = null; release = null; },
    waiting: () => waiting,
  };
}
