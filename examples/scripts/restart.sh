#!/bin/sh
# Example CPRA script intervention: "restart" the service named in $1.
# CPRA runs this file directly (no shell in between); exit 0 means the repair worked.
# Replace the body with the real thing, e.g. `systemctl restart "$1"` or `docker restart "$1"`.
set -eu
service="${1:?usage: restart.sh SERVICE}"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) restart requested for $service" >> cpra-restarts.log
