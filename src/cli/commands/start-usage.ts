export const START_USAGE = `usage: junction start [options]

Run the server in the foreground; SIGTERM or Ctrl-C stops it gracefully.
Settings come from defaults < --config FILE (JSON) < JUNCTION_* environment < flags:

  --config FILE                 JSON config file
  --data-dir DIR                data directory (default ./data)
  --bind ADDR                   listen address (default 127.0.0.1; others need --auth)
  --auth / --no-auth            require Nacos credentials (default off)
  --fsync always|batch|never    when a write is acknowledged (default batch)
  --enable nacos,…              personalities to run
  --nacos-port N  --admin-port N  --log-level LEVEL  --token-ttl SECONDS
  --admin-user NAME  --admin-init generate|api
  --nacos-max-content BYTES  --nacos-snapshot-every N
`;
