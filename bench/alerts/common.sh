# Shared by the alert-service benchmarks (run.sh, replicas.sh, owner-lag.sh), sourced once ROOT and HERE are set (its
# functions read OUT and STATE when called): the test kit's Kafka, PostgreSQL and simulator (Infra.java), the
# deployment description, and the start of one alert-service process on them.
BASE=39000
stack() { JITSIOPS_ROOT="$ROOT" java -cp "$ROOT/deploy/testkit/target/testkit-0.1.0-SNAPSHOT.jar" "$HERE/Infra.java" "$1" "$STATE" $BASE; }
# the rules: block of the benchmarks' rules files: one rule NAME, fired by a health status DOWN (what the drivers
# produce on Kafka); each script adds its own route
down_rule() {
  cat <<YAML
rules:
  - name: $1
    input: health_status
    metric: health.status
    threshold: 2
    severity: critical
    summary: "{labels.target} is DOWN"
    description: "bench"
YAML
}
# the deployment description alert-service reads the derived shard label from (one bridge named, as a real one would)
write_deployment() {
  cat > "$OUT/deployment.yaml" <<YAML
name: bench-alerts
jitsi:
  jvb:
    - name: jvb-1
      url: http://127.0.0.1:9/jvb-1
      shard: shard-1
YAML
}
# alert_service JAR PORT LOG PG_PORT [java options...]: one replica in the background ($! is its PID), on the test
# kit's servers, with the rules of $OUT/rules.yaml; its reactive client goes to PG_PORT (owner-lag.sh puts a proxy
# there), its schema migrations straight to PostgreSQL. Callers add the intake token or receivers as -D options.
alert_service() {
  local jar=$1 port=$2 log=$3 pg=$4
  shift 4
  JITSIOPS_KAFKA_BOOTSTRAP=127.0.0.1:$((BASE + 92)) \
  JITSIOPS_DB_REACTIVE_URL=postgresql://127.0.0.1:$pg/jitsiops \
  JITSIOPS_DB_JDBC_URL=jdbc:postgresql://127.0.0.1:$((BASE + 432))/jitsiops JITSIOPS_DB_USER=postgres \
  JITSIOPS_OIDC_ISSUER=http://127.0.0.1:$((BASE + 80))/janssen \
  JITSIOPS_ALERT_RULES_FILE="$OUT/rules.yaml" JITSIOPS_DEPLOYMENT_FILE="$OUT/deployment.yaml" \
    java "$@" -Dquarkus.http.port="$port" -jar "$jar" > "$log" 2>&1 &
}
# waits until the replica on PORT answers its liveness probe (up to 60 s)
await_live() {
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$1/q/health/live" >/dev/null && return 0; sleep 0.5; done
  echo "the alert-service on port $1 did not come up" >&2
  return 1
}
