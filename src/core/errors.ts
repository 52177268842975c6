/** Base class of every error Junction throws on purpose: a code a protocol can map, never a string. */
export class JunctionError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value failed validation at start; the message names the setting and why. */
export class ConfigError extends JunctionError {
  constructor(message: string) { super('CONFIG', message); }
}

/** On-disk data could not be read as written (bad magic, CRC mismatch beyond a torn tail, …). */
export class StorageError extends JunctionError {
  constructor(message: string, options?: { cause?: unknown }) { super('STORAGE', message, options); }
}
