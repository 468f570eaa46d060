# Sourced by scripts/test.sh and scripts/bench.sh: throwaway PostgreSQL and Redis on private
# ports in a temporary folder, stopped and removed on exit.
#   start_services PGPORT REDISPORT [extra postgres -c options...]
# Exports DATABASE_URL (database "liaison") and REDIS_URL. PostgreSQL refuses to run as root, so
# as root the cluster runs as the `postgres` user and is reached over TCP.

PGVER=15
PGBIN=/usr/lib/postgresql/$PGVER/bin

stop_services() {
  set +e
  [ -f "$SERVICES_TMP/pg/postmaster.pid" ] && "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$SERVICES_TMP/pg" -m immediate stop >/dev/null 2>&1
  redis-cli -p "$SERVICES_REDISPORT" shutdown nosave >/dev/null 2>&1
  rm -rf "$SERVICES_TMP"
}

start_services() {
  local pgport=$1 redisport=$2
  shift 2
  local pgopts="-p $pgport -k SOCKDIR -c listen_addresses=127.0.0.1"
  for option in "$@"; do pgopts="$pgopts -c $option"; done
  SERVICES_TMP=$(mktemp -d /tmp/liaison-services.XXXXXX)
  SERVICES_REDISPORT=$redisport
  chmod 755 "$SERVICES_TMP"
  AS_PG=()
  if [ "$(id -u)" -eq 0 ]; then
    install -d -o postgres -g postgres "$SERVICES_TMP/pg"
    AS_PG=(runuser -u postgres --)
  else
    mkdir -p "$SERVICES_TMP/pg"
  fi
  trap stop_services EXIT INT TERM
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$SERVICES_TMP/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$SERVICES_TMP/pg" -l "$SERVICES_TMP/pg/log" -w \
    -o "${pgopts/SOCKDIR/$SERVICES_TMP/pg}" start >/dev/null
  "${AS_PG[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$pgport" -U postgres liaison
  redis-server --port "$redisport" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --dir "$SERVICES_TMP" --pidfile "$SERVICES_TMP/redis.pid" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$redisport" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/liaison"
  export REDIS_URL="redis://127.0.0.1:$redisport/0"
}
