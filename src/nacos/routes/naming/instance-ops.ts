import type { FastifyRequest } from 'fastify';
import type { NacosAction, NacosContext } from '../../context.js';
import { BeatResponseCode, ErrorCode as E } from '../../errors.js';
import { findInstance, findService } from '../../model/naming/instance-commands.js';
import { DEFAULT_CLUSTER, groupOf, nameOf, simpleInstanceId } from '../../model/naming/keys.js';
import type { InstanceRef, InstanceSpec, NamingCommand, NamingResult } from '../../model/naming/types.js';
import { NamingError, throwIfFailed } from './errors.js';
import { type NamingParams, parseMetadata } from './params.js';

const CLUSTER_NAME = /^[0-9a-zA-Z-]+$/;
/** naming Constants.MIN/MAX_WEIGHT_VALUE, printed as Java doubles. */
const MIN_WEIGHT = 0;
const MAX_WEIGHT = 10000;
export const WEIGHT_ERROR = 'instance format invalid: The weights range from 0.0 to 10000.0';

export function guard(ctx: NacosContext, req: FastifyRequest, namespaceId: string, grouped: string, action: NacosAction) {
  return ctx.guard.check(req, { namespaceId, group: groupOf(grouped), kind: 'naming', name: nameOf(grouped) }, action);
}

/** Durable for persistent data, volatile for ephemeral (Nacos keeps ephemeral data in memory). */
export async function run(ctx: NacosContext, cmd: NamingCommand, durable: boolean): Promise<NamingResult> {
  const result = durable ? await ctx.store.submit<NamingResult>(cmd) : await ctx.store.applyVolatile<NamingResult>(cmd);
  throwIfFailed(result);
  return result;
}

export function checkWeight(weight: number): void {
  if (weight > MAX_WEIGHT || weight < MIN_WEIGHT) throw new NamingError(400, WEIGHT_ERROR, E.WEIGHT_ERROR);
}

/** HttpRequestInstanceBuilder (v1) / InstanceForm (v2) + NamingUtils.checkInstanceIsLegal. */
export function instanceFromParams(p: NamingParams, grouped: string): InstanceSpec {
  const ip = p.required('ip');
  const port = p.int('port');
  const weight = p.double('weight', 1);
  checkWeight(weight);
  const clusterName = p.optional('clusterName') || p.optional('cluster', DEFAULT_CLUSTER);
  const enabledRaw = p.optional('enabled') || p.optional('enable', 'true');
  const spec: InstanceSpec = {
    ip, port, clusterName, weight,
    healthy: p.bool('healthy', true),
    enabled: ['true', 'on', 'yes', 'y', 't'].includes(enabledRaw.toLowerCase()),
    ephemeral: p.bool('ephemeral', true),
    metadata: parseMetadata(p.optional('metadata')),
    instanceId: simpleInstanceId(ip, port, clusterName, grouped),
  };
  checkInstanceIsLegal(spec);
  return spec;
}

export function checkInstanceIsLegal(spec: InstanceSpec): void {
  const num = (k: string, d: number) => { const n = Number(spec.metadata[k]); return spec.metadata[k] !== undefined && Number.isFinite(n) ? n : d; };
  const interval = num('preserved.heart.beat.interval', 5000);
  if (num('preserved.heart.beat.timeout', 15000) < interval || num('preserved.ip.delete.timeout', 30000) < interval) {
    throw new NamingError(400, "Instance 'heart beat interval' must less than 'heart beat timeout' and 'ip delete timeout'.", E.INSTANCE_ERROR);
  }
  if (spec.clusterName && !CLUSTER_NAME.test(spec.clusterName)) {
    throw new NamingError(400, `Instance 'clusterName' should be characters with only 0-9a-zA-Z-. (current: ${spec.clusterName})`, E.INSTANCE_ERROR);
  }
}

export async function registerInstance(ctx: NacosContext, namespaceId: string, serviceName: string, spec: InstanceSpec): Promise<void> {
  const cmd: NamingCommand = { type: 'naming.instance.register', namespaceId, serviceName, instance: spec, time: ctx.clock.now() };
  if (!spec.ephemeral) {
    // Refuse before logging: a durable command that failed against volatile state must not
    // succeed on replay, when that volatile state is gone.
    const service = findService(ctx.store.state.naming, { namespaceId, serviceName });
    if (service?.ephemeral) throwIfFailed(await ctx.store.applyVolatile<NamingResult>(cmd));
  }
  await run(ctx, cmd, !spec.ephemeral);
}

export async function deregisterInstance(ctx: NacosContext, ref: InstanceRef, ephemeral: boolean): Promise<void> {
  await run(ctx, { type: 'naming.instance.deregister', ...ref, ephemeral, time: ctx.clock.now() }, !ephemeral);
}

export async function updateInstance(ctx: NacosContext, ref: InstanceRef, spec: InstanceSpec): Promise<void> {
  await run(ctx, { type: 'naming.instance.update', ...ref, ephemeral: spec.ephemeral, weight: spec.weight,
    enabled: spec.enabled, metadata: spec.metadata }, !spec.ephemeral);
}

export interface PatchFields { weight?: number; enabled?: boolean; metadata?: Record<string, string>; healthy?: boolean }

export async function patchInstance(ctx: NacosContext, ref: InstanceRef, fields: PatchFields): Promise<void> {
  const found = findInstance(ctx.store.state.naming, ref);
  if ('ok' in found) throwIfFailed(found);
  const ephemeral = !('ok' in found) && found.ephemeral;
  await run(ctx, { type: 'naming.instance.patch', ...ref, ...fields }, !ephemeral);
}

/** Beat handling (InstanceOperatorClientImpl.handleBeat): an unknown instance with a beat body is
 *  registered from it; without one the answer is NamingResponseCode.RESOURCE_NOT_FOUND (20404) so the
 *  client re-registers. */
export interface BeatInfo { ip: string; port: number; cluster: string; weight: number; metadata: Record<string, string> }

export async function handleBeat(ctx: NacosContext, ref: InstanceRef, beat: BeatInfo | null): Promise<number> {
  const cmd: NamingCommand = { type: 'naming.instance.beat', ...ref, time: ctx.clock.now() };
  if ((await ctx.store.applyVolatile<NamingResult>(cmd)).ok) return BeatResponseCode.OK;
  if (!beat) return BeatResponseCode.RESOURCE_NOT_FOUND;
  const spec: InstanceSpec = {
    ip: beat.ip, port: beat.port, clusterName: beat.cluster, weight: beat.weight, healthy: true, enabled: true,
    ephemeral: true, metadata: beat.metadata, instanceId: simpleInstanceId(beat.ip, beat.port, beat.cluster, ref.serviceName),
  };
  await registerInstance(ctx, ref.namespaceId, ref.serviceName, spec);
  return BeatResponseCode.OK;
}

/** getHeartBeatInterval: the instance's preserved.heart.beat.interval, else clientBeatInterval. */
export function beatInterval(ctx: NacosContext, ref: InstanceRef): number {
  const found = findInstance(ctx.store.state.naming, ref);
  const v = 'ok' in found ? undefined : found.metadata['preserved.heart.beat.interval'];
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) ? n : 5000;
}

/** The `beat` parameter (RsInfo JSON) as the Java/Node clients send it. */
export function parseBeat(raw: string, clusterName: string): BeatInfo | null {
  if (!raw) return null;
  let json: Record<string, unknown>;
  try { json = JSON.parse(raw) as Record<string, unknown>; } catch (e) {
    throw new NamingError(400, `caused: ${(e as Error).message};`, E.PARAMETER_VALIDATE_ERROR);
  }
  const meta = (json.metadata && typeof json.metadata === 'object') ? json.metadata as Record<string, unknown> : {};
  return {
    ip: String(json.ip ?? ''), port: Number(json.port ?? 0),
    cluster: typeof json.cluster === 'string' && json.cluster !== '' ? json.cluster : clusterName,
    weight: Number(json.weight ?? 1) || 1,
    metadata: Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)])),
  };
}
