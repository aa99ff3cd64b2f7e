#!/bin/sh
# Starts the service named by XAI_SERVICE, or runs the given command instead
# (e.g. `docker run xai-router node dist/apps/config/src/main.js`).
set -eu

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

case "${XAI_SERVICE:-}" in
  gateway | config | key-vault | audit-log | mock-provider)
    # exec replaces the shell, so node itself receives SIGTERM and runs its graceful shutdown.
    exec node "dist/apps/${XAI_SERVICE}/src/main.js"
    ;;
  *)
    echo "XAI_SERVICE must be one of: gateway, config, key-vault, audit-log, mock-provider (got '${XAI_SERVICE:-}')" >&2
    exit 64
    ;;
esac
