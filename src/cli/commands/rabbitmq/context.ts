import type { MgmtClient } from './client.js';
import type { OutputMode } from './output.js';

/** One verb's run: its positional arguments, the vhost (-p), the output mode and the API client. */
export interface VerbContext {
  args: string[];
  vhost: string;
  mode: OutputMode;
  client: MgmtClient;
  /** Named options a verb reads (add_vhost --description …). */
  options: Record<string, string | undefined>;
}

export type Verb = (ctx: VerbContext) => Promise<void>;
