// STUB — owned by the naming work; replace wholesale.
import type { StateMachine } from '../../../core/state/state-machine.js';

export interface NamingState { services: Map<string, unknown> }
export type NamingCommand = { type: `naming.${string}` };

export const namingMachine: StateMachine<NamingState, NamingCommand> = {
  initial: () => ({ services: new Map() }),
  apply: () => undefined,
  snapshot: () => ({}),
  restore: () => ({ services: new Map() }),
};
