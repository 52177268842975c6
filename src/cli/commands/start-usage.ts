export const START_USAGE = `usage: junction start [options]

Run the server in the foreground; SIGTERM or Ctrl-C stops it gracefully.
Settings come from defaults < --config FILE (JSON) < JUNCTION_* environment < flags:

  --config FILE                 JSON config file
  --data-dir DIR                data directory (default ./data)
  --bind ADDR                   listen address (default 127.0.0.1; others need --auth)
  --auth / --no-auth            require Nacos credentials (default off)
  --fsync always|batch|never    when a write is acknowledged (default batch)
  --enable nacos,zk             personalities to run (default all implemented)
  --nacos-port N  --zk-port N  --admin-port N  --log-level LEVEL  --token-ttl SECONDS
  --admin-user NAME  --admin-init generate|api
  --nacos-max-content BYTES  --nacos-snapshot-every N

ZooKeeper (zoo.cfg names in brackets; a zoo.cfg given with --zk-config overrides the defaults):
  --zk-config FILE              read a zoo.cfg (tickTime, clientPort, dataDir, limits, 4lw whitelist …)
  --zk-tick-time MS [tickTime]  --zk-min-session-timeout MS  --zk-max-session-timeout MS
  --zk-max-client-cnxns N [maxClientCnxns]  --zk-jute-maxbuffer BYTES [jute.maxbuffer]
  --zk-snap-count N [snapCount]  --zk-snap-retain-count N [autopurge.snapRetainCount]
  --zk-purge-interval HOURS [autopurge.purgeInterval]
  --zk-4lw-whitelist LIST [4lw.commands.whitelist]  (default srvr, * = all)
  --zk-extended-types true|false [zookeeper.extendedTypesEnabled]  (TTL nodes, default true)
  --zk-super-digest user:BASE64 [DigestAuthenticationProvider.superDigest]
  --zk-container-check-ms MS [znode.container.checkIntervalMs]
`;
