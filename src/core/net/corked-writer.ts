import type { Socket } from 'node:net';

/**
 * Writes made in one event-loop turn leave in one write syscall: the first write of a turn corks
 * the socket and the uncork runs on the next tick, so a pipelined batch of replies (or of a
 * client's requests) becomes one writev instead of one syscall and one TCP segment each.
 */
export class CorkedWriter {
  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  constructor(private readonly socket: Socket) {}

  /** Queue bytes for this turn's write; returns socket.write's answer (false = above its mark). */
  write(bytes: Buffer): boolean {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    return this.socket.write(bytes);
  }
}
