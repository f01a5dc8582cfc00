#!/usr/bin/env bash
# Adds every public symbol the public API analyzers report as undeclared (RS0016) to the project's
# PublicAPI.Unshipped.txt, and drops the ones they report as gone (RS0017). Review the diff: it is
# the change to the public surface. Usage: eng/update-public-api.sh [src/Project]
set -euo pipefail
cd "$(dirname "$0")/.."
for project in "${@:-src/Vaultlib}"; do
  file="$project/PublicAPI.Unshipped.txt"
  log=$(dotnet build "$project" -c Release --no-incremental 2>&1 || true)
  added=$(grep -oE "RS0016: Symbol '.*' is not part of the declared public API" <<<"$log" | sed -E "s/RS0016: Symbol '(.*)' is not part of the declared public API/\1/" | sort -u || true)
  removed=$(grep -oE "RS0017: Symbol '.*' is part of the declared API, but is either not public or could not be found" <<<"$log" | sed -E "s/RS0017: Symbol '(.*)' is part of the declared API.*/\1/" | sort -u || true)
  { head -n 1 "$file"; { tail -n +2 "$file"; [ -n "$added" ] && echo "$added"; } | grep -vxF -f <(printf '%s\n' "$removed" | sed '/^$/d'; echo '#nullable enable') | sort -u; } > "$file.tmp"
  mv "$file.tmp" "$file"
  echo "$project: $(grep -c . <<<"$added" || true) added, $(grep -c . <<<"$removed" || true) removed"
done
