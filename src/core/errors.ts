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

/**
 * A store refused to open because recovering it would lose data that was written and may have
 * been acknowledged (ARCHITECTURE principle 9). Nothing on disk was changed; `problems` name the
 * file, byte offset and what would be lost. `junction data check` shows the same, `junction data
 * repair` cuts only when told where.
 */
export class RecoveryRefused extends StorageError {
  constructor(readonly dir: string, readonly problems: readonly string[]) {
    super(`refusing to open ${dir}: ${problems.join('; ')}. Nothing was changed; run \`junction data check\` ` +
      'for details and docs/storage.md (Recovery) for the repair');
  }
}

/** `junction data repair` will not act: no explicit target, a target that is not a record
 *  boundary before the damage, a healthy store, or a cut that would still not open. */
export class RepairRefused extends JunctionError {
  constructor(message: string) { super('REPAIR', message); }
}

/**
 * A peer's frame header announced a length the protocol refuses (negative, or above its maximum
 * frame size). The stream cannot be resynchronised, so the connection is closed without a reply,
 * as ZooKeeper does ("Len error", NIOServerCnxn.readLength) and Kafka (InvalidReceiveException).
 */
export class FrameError extends JunctionError {
  constructor(message: string, readonly length: number, readonly maxFrameBytes: number) { super('FRAME', message); }
}
