#!/usr/bin/env bash
# One-shot `setup` service of docker-compose.yml, run as root in the Elasticsearch image:
#  1. refuses missing, placeholder or weak passwords and Kibana keys;
#  2. makes a CA and the node certificate once, into the es-certs volume (CA key included: only
#     this service and Elasticsearch mount it), and copies the CA certificate alone into es-ca,
#     the volume Kibana and the Netra services mount read-only;
#  3. once Elasticsearch answers, sets the kibana_system password and creates the `netra` user
#     with a role limited to the netra* indices. Safe to run again: every step is idempotent.
set -euo pipefail
cd /usr/share/elasticsearch

refuse() { echo "setup: $*" >&2; exit 1; }
for name in ELASTIC_PASSWORD KIBANA_PASSWORD NETRA_ES_PASSWORD; do
  value="${!name:-}"
  case "$value" in
    "") refuse "$name is not set: fill it in .env (see .env.example)" ;;
    change-me*) refuse "$name is still the placeholder of .env.example" ;;
  esac
  # URL- and JSON-safe, and long enough: e.g. `openssl rand -hex 24`
  [[ "$value" =~ ^[A-Za-z0-9._~-]{16,}$ ]] \
    || refuse "$name must be at least 16 characters of A-Z a-z 0-9 . _ ~ -"
done
for name in KIBANA_SECURITY_ENCRYPTION_KEY KIBANA_SAVED_OBJECTS_ENCRYPTION_KEY; do
  value="${!name:-}"
  case "$value" in change-me*) refuse "$name is still the placeholder of .env.example" ;; esac
  [ "${#value}" -ge 32 ] || refuse "$name must have at least 32 characters"
done

certs=config/certs
if [ ! -f "$certs/ca/ca.crt" ]; then
  echo "setup: creating the CA"
  bin/elasticsearch-certutil ca --silent --pem --days 3650 -out "$certs/ca.zip"
  unzip -oq "$certs/ca.zip" -d "$certs"
  rm -f "$certs/ca.zip"
fi
if [ ! -f "$certs/elasticsearch/elasticsearch.crt" ]; then
  echo "setup: creating the node certificate"
  # Another node (see README, Deployment: when one host is not enough) needs its own entry here.
  cat > "$certs/instances.yml" <<'YAML'
instances:
  - name: elasticsearch
    dns: [elasticsearch, localhost]
    ip: [127.0.0.1]
YAML
  bin/elasticsearch-certutil cert --silent --pem --days 1095 -out "$certs/certs.zip" \
    --in "$certs/instances.yml" --ca-cert "$certs/ca/ca.crt" --ca-key "$certs/ca/ca.key"
  unzip -oq "$certs/certs.zip" -d "$certs"
  rm -f "$certs/certs.zip"
fi
chown -R root:root "$certs"
find "$certs" -type d -exec chmod 750 {} +
find "$certs" -type f -exec chmod 640 {} +
chgrp -R 0 "$certs"  # Elasticsearch runs as uid 1000, gid 0
cp "$certs/ca/ca.crt" config/ca-public/ca.crt
chmod 644 config/ca-public/ca.crt

es() {  # es METHOD PATH [JSON]: a call as the elastic superuser, failing on HTTP errors
  local body=()
  [ $# -ge 3 ] && body=(-d "$3")
  curl -fsS --cacert "$certs/ca/ca.crt" -u "elastic:${ELASTIC_PASSWORD}" \
    -H 'Content-Type: application/json' -X "$1" "https://elasticsearch:9200$2" "${body[@]}"
}
echo "setup: waiting for Elasticsearch"
for _ in $(seq 1 120); do
  es GET /_cluster/health >/dev/null 2>&1 && break
  sleep 5
done
es GET /_cluster/health >/dev/null || refuse "Elasticsearch did not answer in 10 minutes"

echo "setup: kibana_system password"
es POST /_security/user/kibana_system/_password "{\"password\":\"${KIBANA_PASSWORD}\"}" >/dev/null
echo "setup: role netra_app and user netra"
es PUT /_security/role/netra_app '{
  "cluster": ["monitor", "manage_index_templates", "manage_ilm"],
  "indices": [{"names": ["netra*"], "privileges": ["all"]}]
}' >/dev/null
es PUT /_security/user/netra "{\"password\":\"${NETRA_ES_PASSWORD}\",\"roles\":[\"netra_app\"],
  \"full_name\":\"Netra services\"}" >/dev/null
echo "setup: done"
