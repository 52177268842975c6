import { defineSettings } from '../core/settings/group.js';
import { int, port, type SettingSpec } from '../core/settings/spec.js';

export interface NacosConfig {
  port: number;
  /** gRPC port of the 2.x SDKs; -1: the HTTP port + 1000 (Nacos's fixed offset, GrpcSdkServer). */
  grpcPort: number;
  /** Idle time before a gRPC connection is probed with ClientDetectionRequest. */
  grpcKeepAliveMs: number;
  /** nacos.config.max-content (Nacos counts characters; Junction counts bytes). */
  maxContentBytes: number;
  snapshotEvery: number;
}

export const nacosSettings = defineSettings<NacosConfig>({
  section: 'nacos',
  title: 'Nacos 2.x',
  specs: {
    port: port(8848, 'Nacos open API (HTTP v1/v2, context path /nacos)'),
    grpcPort: derivedPort('Nacos 2.x gRPC (Request / BiRequestStream services of the Java and Go SDKs)'),
    // Nacos core RemoteUtils / ConnectionManager KEEP_ALIVE_TIME: 20 s.
    grpcKeepAliveMs: int({ default: 20_000, min: 50, flag: 'nacos-grpc-keep-alive', arg: 'MS',
      help: 'probe a gRPC connection idle this long with ClientDetectionRequest; no answer closes it' }),
    // Nacos: nacos.config.max-content default 10 MiB
    maxContentBytes: int({ default: 10 * 1024 * 1024, min: 1, flag: 'nacos-max-content', arg: 'BYTES', help: 'largest config content' }),
    snapshotEvery: int({ default: 50_000, min: 1, help: 'snapshot the Nacos model every N logged commands' }),
  },
});

/** A port whose default follows the HTTP port (Nacos: gRPC = HTTP port + 1000, not configurable). */
function derivedPort(help: string): SettingSpec<number> {
  const base = port(9848, help);
  return {
    ...base, default: -1, defaultText: 'nacos port + 1000',
    parse: (raw) => (raw === -1 || (typeof raw === 'string' && raw.trim() === '-1') ? -1 : base.parse(raw)),
  };
}
