/** Usage of `junction data` (its own file so the CLI's help does not load the storage code). */
export const DATA_USAGE = `usage: junction data check|repair [options]

Offline tools for the data directory of a STOPPED server. Unlike the other client commands they
read (check) and change (repair) the files directly; see docs/storage.md, "Recovery".

  junction data check [--data-dir DIR]
      Every store under DIR (nacos/, auth/, zk/, any directory with a log/): segments, records,
      offsets, clean stop, torn tail, damage (file, byte, what follows it) and snapshots, and
      the repair to consider. Exits 0 when every store would start, 1 when a start would refuse.
  junction data repair --truncate-at FILE:BYTE [--data-dir DIR]
      Cut a log segment at a record boundary at or before its first damage, as check suggests;
      later segments are set aside.
  junction data repair --rebase-on-snapshot STORE [--data-dir DIR]
      Keep STORE's newest readable snapshot and the log records that follow it without a gap;
      set the rest of the log aside (when the log lost records a snapshot saw).

A repair acts only on an explicit target and only on a store a start would refuse. It moves what
it takes out into STORE/removed-<time>/ (delete that once you no longer need it) and prints which
offsets the store lost. Exits 0 when the store would now start.

options:
  --data-dir DIR   data directory (env JUNCTION_DATA_DIR, default ./data); FILE and STORE may be
                   relative to it
  --json           JSON output
`;
