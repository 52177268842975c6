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
 * A peer's frame header announced a length the protocol refuses (negative, or above its maximum
 * frame size). The stream cannot be resynchronised, so the connection is closed without a reply,
 * as ZooKeeper does ("Len error", NIOServerCnxn.readLength) and Kafka (InvalidReceiveException).
 */
export class FrameError extends JunctionError {
  constructor(message: string, readonly length: number, readonly maxFrameBytes: number) { super('FRAME', message); }
}
