import type { StateMachine } from '../../../core/state/state-machine.js';
import { applyInstanceCommand } from './instance-commands.js';
import { applyServiceCommand } from './service-commands.js';
import { restoreNaming, snapshotNaming } from './snapshot.js';
import type { NamingCommand, NamingResult, NamingState } from './types.js';

type ServiceCommand = Extract<NamingCommand, { type: `naming.service.${string}` }>;
const isServiceCommand = (c: NamingCommand): c is ServiceCommand => c.type.startsWith('naming.service.');

export type { NamingCommand, NamingState, NamingResult } from './types.js';

/**
 * Services and instances. Durable commands (persistent instances, explicitly created services)
 * arrive through the log; ephemeral instances and the services they imply arrive as volatile
 * commands, as in Nacos where ephemeral data lives only in memory and clients restore it by beats.
 */
export const namingMachine: StateMachine<NamingState, NamingCommand> = {
  initial: () => ({ services: new Map(), revision: 0 }),
  apply(state, command): NamingResult {
    return isServiceCommand(command) ? applyServiceCommand(state, command) : applyInstanceCommand(state, command);
  },
  snapshot: snapshotNaming,
  restore: restoreNaming,
};
