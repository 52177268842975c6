// STUB — owned by the config work; replace wholesale.
import type { StateMachine } from '../../../core/state/state-machine.js';

export interface ConfigState { configs: Map<string, unknown> }
export type ConfigCommand = { type: `config.${string}` } | { type: `namespace.${string}` };

export const configMachine: StateMachine<ConfigState, ConfigCommand> = {
  initial: () => ({ configs: new Map() }),
  apply: () => undefined,
  snapshot: () => ({}),
  restore: () => ({ configs: new Map() }),
};
