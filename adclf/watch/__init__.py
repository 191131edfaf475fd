"""Watch folders: every new video that lands in a folder is classified once.

Shared by the service (adclf.services.watch, one watcher per node, ledger in the node's store) and
the CLI (`adclf watch DIR`, ledger in a file, submission over HTTP). Nothing here imports Ray,
the store, the services or the CLI: each side plugs its own `WatchTarget` into the engine.

- scanner: which files are complete (size and mtime settled, no writer holds them);
- openfiles: which inodes some process holds open for writing (Linux /proc);
- hashing: the content hash that makes "once" survive renames and copies;
- ledger: what a watch remembers (hash -> job id) and the CLI's file ledger;
- results: JSON per ad and an appended CSV, next to the videos or in a results folder;
- engine: the loop that ties them together."""
