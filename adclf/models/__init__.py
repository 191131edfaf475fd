"""One model actor per node (issue #14): the node's models, shared and batched; its client and
the stand-ins workers use in place of local models."""
