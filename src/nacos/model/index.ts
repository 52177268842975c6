import type { StateMachine } from '../../core/state/state-machine.js';
import { configMachine, type ConfigCommand, type ConfigState } from './config/machine.js';
import { namingMachine, type NamingCommand, type NamingState } from './naming/machine.js';

/**
 * The whole Nacos model: naming (services, instances) and config (configs, history, namespaces)
 * share one command log in data/nacos/. Commands are routed by their type prefix.
 */
export interface NacosState { naming: NamingState; config: ConfigState }
export type NacosCommand = NamingCommand | ConfigCommand;

export const nacosMachine: StateMachine<NacosState, NacosCommand> = {
  initial: () => ({ naming: namingMachine.initial(), config: configMachine.initial() }),
  apply(state, command) {
    return command.type.startsWith('naming.')
      ? namingMachine.apply(state.naming, command as NamingCommand)
      : configMachine.apply(state.config, command as ConfigCommand);
  },
  snapshot: (state) => ({ naming: namingMachine.snapshot(state.naming), config: configMachine.snapshot(state.config) }),
  restore(image) {
    const { naming, config } = image as { naming: unknown; config: unknown };
    return { naming: namingMachine.restore(naming), config: configMachine.restore(config) };
  },
};
