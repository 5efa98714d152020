#!/usr/bin/env bash
# One-shot `airflow-init` service of docker-compose.yml, run in the Netra image: refuses missing or
# placeholder secrets, migrates Airflow's metadata database (PostgreSQL), imports the pools of
# dags/pools.json and writes the password of the Airflow UI's `admin` user from .env. Safe to run
# again (after an upgrade it applies the new migrations).
set -euo pipefail

refuse() { echo "airflow-init: $*" >&2; exit 1; }
for name in POSTGRES_PASSWORD REDIS_PASSWORD AIRFLOW_FERNET_KEY AIRFLOW_JWT_SECRET \
            AIRFLOW_API_SECRET_KEY AIRFLOW_ADMIN_PASSWORD; do
  value="${!name:-}"
  case "$value" in
    "") refuse "$name is not set: fill it in .env (see .env.example)" ;;
    change-me*) refuse "$name is still the placeholder of .env.example" ;;
  esac
  [ "${#value}" -ge 16 ] || refuse "$name must have at least 16 characters"
done
for name in POSTGRES_PASSWORD REDIS_PASSWORD; do  # they go into URLs
  [[ "${!name}" =~ ^[A-Za-z0-9._~-]+$ ]] || refuse "$name: use only A-Z a-z 0-9 . _ ~ -"
done
python - <<'PY' || refuse "AIRFLOW_FERNET_KEY is not a Fernet key (see .env.example)"
import os
from cryptography.fernet import Fernet
Fernet(os.environ["AIRFLOW_FERNET_KEY"].encode())
PY

mkdir -p "$AIRFLOW_HOME"
airflow db migrate
airflow pools import /app/dags/pools.json
# The simple auth manager reads its users' passwords from this file (AIRFLOW_HOME, mode 0600).
python - <<'PY'
import json, os
path = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w") as out:
    json.dump({"admin": os.environ["AIRFLOW_ADMIN_PASSWORD"]}, out)
os.chmod(path, 0o600)
PY
echo "airflow-init: done"
