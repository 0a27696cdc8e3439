#!/usr/bin/env bash
# Imports the Maven Analytics CRM export with the mappings in this folder, in dependency order.
# Usage: samples/maven-crm/import.sh DATASET_DIR [tandem options, e.g. --data ./data or --postgres "Host=…"]
set -euo pipefail
if [ $# -lt 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 DATASET_DIR [--data DIR | --postgres CONNECTION]" >&2
  exit 2
fi
dataset=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# Build once, then run without rebuilding for each step.
tandem() { dotnet run --project "$root/src/Tandem" --no-build --no-launch-profile -- "$@"; }

dotnet build "$root/src/Tandem" -v quiet -nologo
tandem import accounts "$dataset/accounts.csv" --map "$here/accounts.json" "$@"
tandem import users "$dataset/sales_teams.csv" --map "$here/users-managers.json" "$@"
tandem import users "$dataset/sales_teams.csv" --map "$here/users.json" "$@"
tandem import opportunities "$dataset/sales_pipeline.csv" --map "$here/opportunities.json" "$@"
tandem stats "$@"
