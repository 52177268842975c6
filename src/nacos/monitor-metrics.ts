import type { MetricsScope } from '../core/metrics/registry.js';
import type { NacosServices } from './services.js';

/**
 * Nacos's own gauge `nacos_monitor{module,name}` (naming and config MetricsMonitor, micrometer),
 * which the Nacos Grafana dashboards query: serviceCount, ipCount and subscriberCount of naming,
 * configCount and longPolling of config. An alias of figures junction_nacos_* reports too.
 */
export function registerNacosMonitor(metrics: MetricsScope, { ctx, naming, configs }: NacosServices): void {
  metrics.alias('nacos_monitor', 'Nacos MetricsMonitor figures (Nacos\'s own name; also as junction_nacos_*)', ['module', 'name'], (g) => {
    const { services } = ctx.store.state.naming;
    let ips = 0;
    for (const service of services.values()) ips += service.instances.size;
    g.set({ module: 'naming', name: 'serviceCount' }, services.size);
    g.set({ module: 'naming', name: 'ipCount' }, ips);
    g.set({ module: 'naming', name: 'subscriberCount' }, naming.subscriberCount());
    g.set({ module: 'config', name: 'configCount' }, ctx.store.state.config.configs.size);
    g.set({ module: 'config', name: 'longPolling' }, configs.longPolling.size);
  });
}
