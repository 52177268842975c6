/** Nacos name helpers (NamingUtils) and the map keys the model uses. */
export const DEFAULT_GROUP = 'DEFAULT_GROUP';
export const DEFAULT_CLUSTER = 'DEFAULT';
export const DEFAULT_NAMESPACE = 'public';
const SPLITTER = '@@';

/** NamingUtils.getGroupName: the part before `@@`, DEFAULT_GROUP when there is none. */
export function groupOf(grouped: string): string {
  const i = grouped.indexOf(SPLITTER);
  return i < 0 ? DEFAULT_GROUP : grouped.slice(0, i);
}

/** NamingUtils.getServiceName: the part after `@@`. */
export function nameOf(grouped: string): string {
  const i = grouped.indexOf(SPLITTER);
  if (i < 0) return grouped;
  const rest = grouped.slice(i + 2);
  const j = rest.indexOf(SPLITTER);
  return j < 0 ? rest : rest.slice(0, j);
}

export function groupedName(name: string, group: string): string { return `${group}${SPLITTER}${name}`; }

/** One service per (namespace, group, name), whatever the spelling of the request. */
export function serviceKey(namespaceId: string, grouped: string): string {
  // `group@@name` with one separator is already in that form.
  const at = grouped.indexOf(SPLITTER);
  if (at >= 0 && grouped.indexOf(SPLITTER, at + 2) < 0) return `${namespaceId}##${grouped}`;
  return `${namespaceId}##${groupOf(grouped)}${SPLITTER}${nameOf(grouped)}`;
}

/** Nacos 2.x keys an instance within its service by its client, i.e. ip:port. */
export function instanceKey(ip: string, port: number): string { return `${ip}:${port}`; }

/** Nacos "simple" InstanceIdGenerator: ip#port#clusterName#group@@service. */
export function simpleInstanceId(ip: string, port: number, clusterName: string, grouped: string): string {
  return `${ip}#${port}#${clusterName}#${grouped}`;
}
