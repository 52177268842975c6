import { ErrorCode as E } from '../../errors.js';
import { fail, OK_CHANGED, OK_UNCHANGED } from './errors.js';
import { groupOf, instanceKey, nameOf, serviceKey } from './keys.js';
import type { InstanceRef, NamingCommand, NamingInstance, NamingResult, NamingService, NamingState, ServiceRef } from './types.js';

type InstanceCommand = Exclude<NamingCommand, { type: `naming.service.${string}` }>;

export function applyInstanceCommand(state: NamingState, cmd: InstanceCommand): NamingResult {
  switch (cmd.type) {
    case 'naming.instance.register': return register(state, cmd);
    case 'naming.instance.deregister': return remove(state, cmd, cmd.ephemeral, cmd.time);
    case 'naming.instance.expire': return remove(state, cmd, true, cmd.time);
    case 'naming.instance.update': return update(state, cmd);
    case 'naming.instance.patch': return patch(state, cmd);
    case 'naming.instance.beat': return beat(state, cmd);
    case 'naming.instance.health': return setHealth(state, cmd);
  }
}

export function touch(state: NamingState, service: NamingService): void {
  service.revision = ++state.revision;
}

function register(state: NamingState, cmd: Extract<InstanceCommand, { type: 'naming.instance.register' }>): NamingResult {
  const key = serviceKey(cmd.namespaceId, cmd.serviceName);
  let service = state.services.get(key);
  const spec = cmd.instance;
  if (!service) {
    // Nacos 2.x creates the service implicitly, with the kind of its first instance.
    service = {
      namespaceId: cmd.namespaceId, groupName: groupOf(cmd.serviceName), name: nameOf(cmd.serviceName),
      ephemeral: spec.ephemeral, explicit: false, protectThreshold: 0, metadata: {}, selector: { type: 'none' },
      instances: new Map(), revision: 0, emptySince: null,
    };
    state.services.set(key, service);
  } else if (service.ephemeral !== spec.ephemeral) {
    const grouped = `${service.groupName}@@${service.name}`;
    // EphemeralClientOperationServiceImpl / PersistentClientOperationServiceImpl.registerInstance
    return fail(400, service.ephemeral
      ? `Current service ${grouped} is ephemeral service, can't register persistent instance.`
      : `Current service ${grouped} is persistent service, can't register ephemeral instance.`, E.SERVER_ERROR);
  }
  const instance: NamingInstance = { ...spec, metadata: { ...spec.metadata }, lastBeat: cmd.time };
  service.instances.set(instanceKey(spec.ip, spec.port), instance);
  service.emptySince = null;
  touch(state, service);
  return OK_CHANGED;
}

function remove(state: NamingState, ref: InstanceRef, ephemeral: boolean, time: number): NamingResult {
  const service = state.services.get(serviceKey(ref.namespaceId, ref.serviceName));
  // Nacos answers ok when the instance is unknown (it only logs a warning).
  if (!service || service.ephemeral !== ephemeral) return OK_UNCHANGED;
  if (!service.instances.delete(instanceKey(ref.ip, ref.port))) return OK_UNCHANGED;
  if (service.instances.size === 0) service.emptySince = time;
  touch(state, service);
  return OK_CHANGED;
}

export function findService(state: NamingState, ref: ServiceRef): NamingService | undefined {
  return state.services.get(serviceKey(ref.namespaceId, ref.serviceName));
}

/** InstanceOperatorClientImpl.getInstance0: cluster, ip and port must all match. */
export function findInstance(state: NamingState, ref: InstanceRef): NamingInstance | NamingResult {
  const service = findService(state, ref);
  const grouped = service ? `${service.groupName}@@${service.name}` : ref.serviceName;
  if (!service || service.instances.size === 0) {
    return fail(404, `no ips found for cluster ${ref.clusterName} in service ${grouped}`, E.RESOURCE_NOT_FOUND);
  }
  const instance = service.instances.get(instanceKey(ref.ip, ref.port));
  if (!instance || instance.clusterName !== ref.clusterName) return fail(404, 'no matched ip found!', E.RESOURCE_NOT_FOUND);
  return instance;
}

function update(state: NamingState, cmd: Extract<InstanceCommand, { type: 'naming.instance.update' }>): NamingResult {
  const service = findService(state, cmd);
  if (!service) {
    return fail(400, `service not found, namespace: ${cmd.namespaceId}, service: ${cmd.serviceName}`, E.INSTANCE_ERROR);
  }
  const instance = service.instances.get(instanceKey(cmd.ip, cmd.port));
  // Nacos stores the metadata even before the instance exists; Junction applies it to a present one.
  if (!instance) return OK_UNCHANGED;
  instance.weight = cmd.weight;
  instance.enabled = cmd.enabled;
  instance.metadata = { ...cmd.metadata };
  touch(state, service);
  return OK_CHANGED;
}

function patch(state: NamingState, cmd: Extract<InstanceCommand, { type: 'naming.instance.patch' }>): NamingResult {
  const found = findInstance(state, cmd);
  if ('ok' in found) return found;
  if (cmd.metadata !== undefined) found.metadata = { ...cmd.metadata };
  if (cmd.weight !== undefined) found.weight = cmd.weight;
  if (cmd.enabled !== undefined) found.enabled = cmd.enabled;
  if (cmd.healthy !== undefined) found.healthy = cmd.healthy;
  touch(state, findService(state, cmd)!);
  return OK_CHANGED;
}

/** A beat refreshes an ephemeral instance and makes it healthy again (ClientBeatProcessorV2). */
function beat(state: NamingState, cmd: Extract<InstanceCommand, { type: 'naming.instance.beat' }>): NamingResult {
  const service = findService(state, cmd);
  const instance = service?.ephemeral ? service.instances.get(instanceKey(cmd.ip, cmd.port)) : undefined;
  if (!service || !instance) return fail(404, 'instance not found', E.INSTANCE_NOT_FOUND);
  instance.lastBeat = cmd.time;
  if (instance.healthy) return OK_UNCHANGED;
  instance.healthy = true;
  touch(state, service);
  return OK_CHANGED;
}

function setHealth(state: NamingState, cmd: Extract<InstanceCommand, { type: 'naming.instance.health' }>): NamingResult {
  const service = findService(state, cmd);
  const instance = service?.instances.get(instanceKey(cmd.ip, cmd.port));
  if (!service || !instance || instance.healthy === cmd.healthy) return OK_UNCHANGED;
  instance.healthy = cmd.healthy;
  touch(state, service);
  return OK_CHANGED;
}
