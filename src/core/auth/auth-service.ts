// STUB — owned by the auth work; replace wholesale (keep open()/close() signatures).
import type { Clock } from '../clock.js';
import type { JunctionConfig } from '../config.js';
import type { Logger } from '../logger.js';

export interface AuthServiceOptions { dir: string; config: JunctionConfig; logger: Logger; clock: Clock; onFsync?: (seconds: number) => void }

export class AuthService {
  static async open(_opts: AuthServiceOptions): Promise<AuthService> { return new AuthService(); }
  async close(): Promise<void> {}
}
