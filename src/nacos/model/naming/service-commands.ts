import { ErrorCode as E } from '../../errors.js';
import { fail, OK_CHANGED } from './errors.js';
import { groupOf, nameOf, serviceKey } from './keys.js';
import { touch } from './instance-commands.js';
import type { NamingCommand, NamingResult, NamingState } from './types.js';

type ServiceCommand = Extract<NamingCommand, { type: `naming.service.${string}` }>;

/** ServiceOperatorV2Impl create/update/delete, with its error texts. */
export function applyServiceCommand(state: NamingState, cmd: ServiceCommand): NamingResult {
  const key = serviceKey(cmd.namespaceId, cmd.serviceName);
  const grouped = `${groupOf(cmd.serviceName)}@@${nameOf(cmd.serviceName)}`;
  const service = state.services.get(key);
  switch (cmd.type) {
    case 'naming.service.create': {
      if (service) return fail(400, `specified service ${grouped} already exists!`, E.SERVICE_ALREADY_EXIST);
      state.services.set(key, {
        namespaceId: cmd.namespaceId, groupName: groupOf(cmd.serviceName), name: nameOf(cmd.serviceName),
        ephemeral: cmd.ephemeral, explicit: true, protectThreshold: cmd.protectThreshold,
        metadata: { ...cmd.metadata }, selector: cmd.selector, instances: new Map(),
        revision: ++state.revision, emptySince: null,
      });
      return OK_CHANGED;
    }
    case 'naming.service.update': {
      if (!service) return fail(400, `service ${grouped} not found!`, E.SERVICE_NOT_EXIST);
      service.protectThreshold = cmd.protectThreshold;
      service.metadata = { ...cmd.metadata };
      service.selector = cmd.selector;
      touch(state, service);
      return OK_CHANGED;
    }
    case 'naming.service.delete': {
      if (!service) return fail(400, `service ${grouped} not found!`, E.SERVICE_NOT_EXIST);
      if (service.instances.size > 0) {
        return fail(400, `Service ${grouped} is not empty, can't be delete. Please unregister instance first`, E.SERVICE_DELETE_FAILURE);
      }
      state.services.delete(key);
      return OK_CHANGED;
    }
    case 'naming.service.expire': {
      // EmptyServiceAutoCleanerV2: only services that exist because of instances, and still empty.
      if (!service || service.explicit || service.instances.size > 0) return { ok: true, changed: false };
      state.services.delete(key);
      return OK_CHANGED;
    }
  }
}
