import { defineSettings } from '../core/settings/group.js';
import { int, port } from '../core/settings/spec.js';

export interface NacosConfig {
  port: number;
  /** nacos.config.max-content (Nacos counts characters; Junction counts bytes). */
  maxContentBytes: number;
  snapshotEvery: number;
}

export const nacosSettings = defineSettings<NacosConfig>({
  section: 'nacos',
  title: 'Nacos 2.x',
  specs: {
    port: port(8848, 'Nacos open API (HTTP v1/v2, context path /nacos)'),
    // Nacos: nacos.config.max-content default 10 MiB
    maxContentBytes: int({ default: 10 * 1024 * 1024, min: 1, flag: 'nacos-max-content', arg: 'BYTES', help: 'largest config content' }),
    snapshotEvery: int({ default: 50_000, min: 1, help: 'snapshot the Nacos model every N logged commands' }),
  },
});
