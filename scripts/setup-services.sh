#!/usr/bin/env bash
# Starts what the test suite needs on this kind of machine: PostgreSQL, Redis and Debian's Chromium.
# Idempotent: anything already running or installed is left alone. `.ci/run` calls this too.
set -euo pipefail

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "setup: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "setup: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing Debian's chromium (browser tests)"
  apt-get update
  apt-get install -y chromium
fi

# Wait briefly for the services to accept connections.
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0
  sleep 0.5
done
echo "setup: PostgreSQL or Redis did not come up; see their logs" >&2
exit 1
