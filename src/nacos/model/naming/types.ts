import type { ErrorCodeEntry } from '../../errors.js';
/**
 * Naming model types, in Nacos 2.x vocabulary: a service is (namespaceId, groupName, name); an
 * instance is identified inside its service by ip:port (Nacos 2.x IpPortBasedClient publishes one
 * instance per service per ip:port), and carries its clusterName.
 */
export interface NamingInstance {
  ip: string;
  port: number;
  clusterName: string;
  weight: number;
  healthy: boolean;
  enabled: boolean;
  ephemeral: boolean;
  metadata: Record<string, string>;
  instanceId: string;
  /** Time of the last beat (ephemeral) or registration; volatile bookkeeping, not in the view. */
  lastBeat: number;
}

export interface NamingService {
  namespaceId: string;
  groupName: string;
  name: string;
  /** Nacos 2.x: a service is ephemeral or persistent; the other kind of instance is refused. */
  ephemeral: boolean;
  /** Created through the service API (durable metadata), not just implied by an instance. */
  explicit: boolean;
  protectThreshold: number;
  metadata: Record<string, string>;
  selector: { type: string };
  instances: Map<string, NamingInstance>;
  /** Bumped on every change visible to clients: view caches and pushes key on it. */
  revision: number;
  /** When an implied service last became empty (Nacos cleans such services after a while). */
  emptySince: number | null;
}

export interface NamingState {
  services: Map<string, NamingService>;
  /** Source of service revisions (never reused, so a cache entry of a deleted service cannot match). */
  revision: number;
}

/** Where a command points: `serviceName` is always the grouped name `group@@name`. */
export interface ServiceRef { namespaceId: string; serviceName: string }
export interface InstanceRef extends ServiceRef { ip: string; port: number; clusterName: string }

export interface InstanceSpec {
  ip: string; port: number; clusterName: string; weight: number; healthy: boolean;
  enabled: boolean; ephemeral: boolean; metadata: Record<string, string>; instanceId: string;
}

export type NamingCommand =
  | ({ type: 'naming.instance.register'; time: number; instance: InstanceSpec } & ServiceRef)
  | ({ type: 'naming.instance.deregister'; ephemeral: boolean; time: number } & InstanceRef)
  | ({ type: 'naming.instance.update'; ephemeral: boolean; weight: number; enabled: boolean;
       metadata: Record<string, string> } & InstanceRef)
  | ({ type: 'naming.instance.patch'; weight?: number; enabled?: boolean;
       metadata?: Record<string, string>; healthy?: boolean } & InstanceRef)
  | ({ type: 'naming.instance.beat'; time: number } & InstanceRef)
  | ({ type: 'naming.instance.health'; healthy: boolean } & InstanceRef)
  | ({ type: 'naming.instance.expire'; time: number } & InstanceRef)
  | ({ type: 'naming.service.create'; ephemeral: boolean; protectThreshold: number;
       metadata: Record<string, string>; selector: { type: string } } & ServiceRef)
  | ({ type: 'naming.service.update'; protectThreshold: number; metadata: Record<string, string>;
       selector: { type: string } } & ServiceRef)
  | ({ type: 'naming.service.delete' } & ServiceRef)
  | ({ type: 'naming.service.expire'; time: number } & ServiceRef);

/** apply's answer: ok, or a Nacos error (status + text + v2 ErrorCode) the route turns into a reply. */
export type NamingResult =
  | { ok: true; changed: boolean }
  | { ok: false; status: number; message: string; errorCode: ErrorCodeEntry };
