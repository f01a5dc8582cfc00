#!/usr/bin/env bash
# The mutation check: Stryker.NET over the security-critical code of every service, one area at a time.
#
#   eng/mutation.sh --list            the areas, with the files each mutates
#   eng/mutation.sh policy cache      run two areas (or "all"); reports land in artifacts/mutation/<area>/
#                                     (reports/mutation-report.html, and reports/survivors.txt: one line per survivor)
#   eng/mutation.sh --break-at 90 policy
#                                     exit non-zero when an area scores below 90 %
#   eng/mutation.sh --together policy cache parameters
#                                     one Stryker run per project for all the areas named (one build and one
#                                     coverage pass, which is most of a small area's time), split into per-area reports
#
# Each area mutates the parsers, rules, state machines or caches named below, and runs only the tests that
# pin them (per-test coverage, so a mutant runs only the tests that reach it). The configuration leaves out
# two kinds of mutant no test should tell apart (docs/testing.md says why): the wording of exception messages
# (`*Exception.ctor`, and the `Malformed`, `Tampered`, `Unwrappable` and `Incorrect` factories of the policy parser,
# the store and key import; tests pin the exception's type, member and
# location) and `ConfigureAwait(false)` ⇄ `(true)`.
# Statement removals of the `throw` itself are mutated, and must be killed.
#
# A run of one area takes 5–20 minutes on two cores. Needs `dotnet tool install -g dotnet-stryker` (5.1);
# contract suites run on the in-memory and SQLite stores (the PostgreSQL classes are filtered out, so no server
# is needed; the same code runs under all three).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tests="$root/tests/Vaultlib.Tests"
out_root="$root/artifacts/mutation"
break_at=0
together=0

declare -A mutate filter project

# --- KMS -------------------------------------------------------------------------------------------------
mutate[kms-encoding]="Keys/Core/CiphertextBlob.cs Internal/EncryptionContextSerializer.cs"
filter[kms-encoding]="FullyQualifiedName~EncryptionContextSerializerTests|FullyQualifiedName~CiphertextBlobTests|FullyQualifiedName~CacheIdVectorTests|FullyQualifiedName~Vaultlib.Tests.Keys.InMemoryKeyServiceTests"
mutate[kms-identifiers]="Keys/Core/KeyIdentifiers.cs Keys/Core/KeyImport.cs Keys/Core/KeyRules.cs"
filter[kms-identifiers]="FullyQualifiedName~Vaultlib.Tests.Keys.InMemoryKeyServiceTests|FullyQualifiedName~KeyServiceErrorsTests|FullyQualifiedName~ArnPartsTests"
mutate[kms-state]="Keys/Core/KeyTable.cs Keys/Core/KeyTable.Scheduled.cs"
filter[kms-state]="FullyQualifiedName~Vaultlib.Tests.Keys.InMemoryKeyServiceTests|FullyQualifiedName~Vaultlib.Tests.Scheduling.VaultlibSchedulerTests|FullyQualifiedName~KeyServiceErrorsTests|FullyQualifiedName~CustomerManagedKeyQuotaTests|FullyQualifiedName~Keys.Core.KeyTableTests|FullyQualifiedName~StoreTelemetryTests|FullyQualifiedName~Vaultlib.Tests.Authorization.Kms"

# --- Authorization ---------------------------------------------------------------------------------------
mutate[policy]="Authorization/PolicyEvaluator.cs Authorization/PolicyCondition.cs Authorization/PolicyDocument.cs Authorization/PolicyVariables.cs Authorization/AccessEvaluator.cs"
filter[policy]="FullyQualifiedName~Vaultlib.Tests.Authorization"

# --- Envelope encryption ---------------------------------------------------------------------------------
mutate[esdk-format]="Envelope/Format/MessageHeader.cs Envelope/Format/BodyFormat.cs"
filter[esdk-format]="FullyQualifiedName~Vaultlib.Tests.Envelope.Format|FullyQualifiedName~EnvelopeEncryptorTests|FullyQualifiedName~EnvelopePropertyTests|FullyQualifiedName~EnvelopeStreamTests|FullyQualifiedName~VectorTests"
mutate[cache]="Envelope/Caching/CachingCryptoMaterialsManager.cs Envelope/Caching/LocalCryptoMaterialsCache.cs"
filter[cache]="FullyQualifiedName~Vaultlib.Tests.Envelope.Caching|FullyQualifiedName~CacheMetricsTests"
mutate[keyrings]="Envelope/Keyrings/Kms/AwsKmsArn.cs Envelope/Keyrings/Kms/AwsKmsDataKeys.cs Envelope/Keyrings/Ecdh/EcdhWrapping.cs Envelope/Keyrings/Hierarchy/BranchKeyCache.cs Envelope/Streaming.cs"
filter[keyrings]="FullyQualifiedName~Envelope.Keyrings|FullyQualifiedName~EnvelopeStreamTests|FullyQualifiedName~EnvelopeEncryptorTests|FullyQualifiedName~EnvelopePropertyTests|FullyQualifiedName~VectorTests|FullyQualifiedName~StreamingLimitsTests"

# --- Scheduling and the shared bounded cache -------------------------------------------------------------
mutate[scheduler]="Scheduling/VaultlibScheduler.cs"
filter[scheduler]="FullyQualifiedName~Vaultlib.Tests.Scheduling"
mutate[bounded-cache]="Internal/BoundedCache.cs"
filter[bounded-cache]="FullyQualifiedName~BoundedCacheTests"

# --- Storage ---------------------------------------------------------------------------------------------
mutate[storage]="Storage/ServiceRecords.cs Storage/ServiceRecords.Manifest.cs Storage/ServiceRecords.Sealing.cs"
filter[storage]="FullyQualifiedName~Vaultlib.Tests.Storage.VaultRootKeyTests|FullyQualifiedName~Vaultlib.Tests.Storage.VaultTests|FullyQualifiedName~Vaultlib.Tests.Storage.SqliteSharedVaultTests|FullyQualifiedName~Vaultlib.Tests.Storage.InMemoryVaultStoreTests|FullyQualifiedName~Vaultlib.Tests.Storage.SqliteVaultStoreTests|FullyQualifiedName~StoreTelemetryTests"

# --- Parameter Store -------------------------------------------------------------------------------------
mutate[parameters]="Parameters/Core/ParameterFilters.cs Parameters/Core/ParameterNames.cs Parameters/Core/ParameterPolicies.cs Parameters/Core/NameIndex.cs"
filter[parameters]="FullyQualifiedName~Vaultlib.Tests.Parameters"

# --- Secrets Manager -------------------------------------------------------------------------------------
mutate[secrets]="Secrets/Core/RotationSchedule.cs Secrets/Core/SecretStages.cs Secrets/Core/SecretFilters.cs Secrets/Caching/SecretsManagerCache.cs"
filter[secrets]="FullyQualifiedName~Vaultlib.Tests.Secrets"

# --- Certificates ----------------------------------------------------------------------------------------
mutate[private-ca]="Certificates/Core/CaSubjects.cs Certificates/Core/CaValidity.cs Certificates/Core/CaTemplates.cs Certificates/Core/CaPem.cs Certificates/Core/CaKeys.cs"
filter[private-ca]="FullyQualifiedName~InMemoryPrivateCaTests|FullyQualifiedName~CaRulesTests|FullyQualifiedName~InMemoryAcmTests"
mutate[acm]="Certificates/Acm/Core/AcmDomains.cs Certificates/Acm/Core/AcmLifecycle.cs Certificates/Acm/Core/AcmLifecycle.Validation.cs"
filter[acm]="FullyQualifiedName~InMemoryAcmTests|FullyQualifiedName~AcmRulesTests|FullyQualifiedName~AcmValidationFailureTests"

# --- AWS protocol (its own package) ----------------------------------------------------------------------
mutate[sigv4]="Core/SigV4.cs AwsCredentials.cs"
filter[sigv4]="FullyQualifiedName~AwsCredentialsTests|FullyQualifiedName~Vaultlib.Tests.AwsProtocol.SigV4|FullyQualifiedName~HttpEndpointTests|FullyQualifiedName~InProcessSdkTests"
project[sigv4]="Vaultlib.AwsProtocol.csproj"

areas="kms-encoding kms-identifiers kms-state policy esdk-format cache keyrings scheduler bounded-cache storage parameters secrets private-ca acm sigv4"

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }

selected=()
while (($#)); do
  case "$1" in
    --list)
      for a in $areas; do printf '%-16s %s\n' "$a" "${mutate[$a]}"; done
      exit 0 ;;
    --break-at) break_at="$2"; shift ;;
    --together) together=1 ;;
    -h|--help) usage; exit 0 ;;
    all) selected+=($areas) ;;
    *)
      [[ -n "${mutate[$1]:-}" ]] || { echo "unknown area '$1' (eng/mutation.sh --list)" >&2; exit 2; }
      selected+=("$1") ;;
  esac
  shift
done
((${#selected[@]})) || { usage; exit 2; }

stryker="$(command -v dotnet-stryker || true)"
[[ -n "$stryker" ]] || stryker="$HOME/.dotnet/tools/dotnet-stryker"
[[ -x "$stryker" ]] || { echo "dotnet-stryker is not installed: dotnet tool install -g dotnet-stryker" >&2; exit 2; }

# Nullable warnings stay warnings in the mutated build (Directory.Build.props), so that removing a null guard is
# tested rather than dropped as a compile error.
export VaultlibMutationRun=true

# Runs Stryker once: output name $1, project $2, the files to mutate $3, the test filter $4.
run_stryker() {
  local out="$out_root/$1" globs=""
  rm -rf "$out"; mkdir -p "$out"
  for f in $3; do globs+="\"**/$f\","; done
  cat > "$out/stryker-config.json" <<EOF
{
  "stryker-config": {
    "project": "$2",
    "mutate": [${globs%,}],
    "test-case-filter": "($4)&FullyQualifiedName!~PostgreSql",
    "ignore-methods": ["ConfigureAwait", "*Exception.ctor", "*Malformed", "*Tampered", "*Unwrappable", "*Incorrect"],
    "concurrency": 2,
    "reporters": ["json", "progress", "html"],
    "thresholds": { "high": 90, "low": 80, "break": $break_at }
  }
}
EOF
  (cd "$tests" && "$stryker" --config-file "$out/stryker-config.json" --output "$out")
}

# Scores one area's report: per file, in all, the validation-check removals and the removals that do not compile.
score() {
  local report="$1" area="$2"
  python3 - "$report" "$area" ${mutate[$area]} <<'PY'
import json, sys
report, area = sys.argv[1], sys.argv[2]
# Only the area's own files: Stryker's report also lists the compile errors of mutants it made, then dropped, elsewhere.
files = {p: f for p, f in json.load(open(report))["files"].items() if any(p.endswith("/" + x) for x in sys.argv[3:])}
total = {}
for path, f in sorted(files.items()):
    counts = {}
    for m in f["mutants"]:
        counts[m["status"]] = counts.get(m["status"], 0) + 1
        total[m["status"]] = total.get(m["status"], 0) + 1
    killed = counts.get("Killed", 0) + counts.get("Timeout", 0)
    scored = killed + counts.get("Survived", 0) + counts.get("NoCoverage", 0)
    if scored:
        print(f"  {path.split('/src/')[-1]:60} {killed:4}/{scored:<4} {100 * killed / scored:5.1f} %")
with open(report.replace("mutation-report.json", "survivors.txt"), "w") as out:
    for path, f in sorted(files.items()):
        lines = f["source"].split("\n")
        for m in sorted(f["mutants"], key=lambda m: m["location"]["start"]["line"]):
            if m["status"] in ("Survived", "NoCoverage"):
                line = m["location"]["start"]["line"]
                out.write(f'{path.split("/src/")[-1]}:{line} {m["status"]} {m["mutatorName"]}: '
                          f'{m.get("replacement", "")[:80]!r} | {lines[line - 1].strip()[:100]}\n')
killed = total.get("Killed", 0) + total.get("Timeout", 0)
scored = killed + total.get("Survived", 0) + total.get("NoCoverage", 0)
print(f"  {area}: {killed} killed, {total.get('Survived', 0)} survived, {total.get('NoCoverage', 0)} no coverage,"
      f" {total.get('CompileError', 0)} compile errors: {100 * killed / max(scored, 1):.1f} %")

# Mutants that remove a validation check: a removed statement that throws (or a ThrowIf… guard), or a removed
# block that throws or answers "no" (return false / return null). Every one of them must be killed.
checks, alive = 0, []
for path, f in sorted(files.items()):
    lines = f["source"].split("\n")
    for m in f["mutants"]:
        if m["status"] not in ("Killed", "Timeout", "Survived", "NoCoverage"):
            continue
        start, end = m["location"]["start"]["line"], m["location"]["end"]["line"]
        text = "\n".join(lines[start - 1:end])
        removal = m["mutatorName"] in ("Statement mutation", "Block removal mutation")
        if removal and ("throw " in text or ".ThrowIf" in text or "return false;" in text or "return null;" in text):
            checks += 1
            if m["status"] in ("Survived", "NoCoverage"):
                alive.append(f'{path.split("/src/")[-1]}:{start}')
print(f"  {area}: validation-check removals: {checks - len(alive)} of {checks} killed"
      + (f" (alive: {', '.join(alive)})" if alive else ""))

# A statement or block removal that does not compile is a hole: Stryker drops it, and often every other mutant of the
# method with it (a variable assigned in a try whose catch throws, a pattern or out variable behind && or ||).
holes = [f'{path.split("/src/")[-1]}:{m["location"]["start"]["line"]}'
         for path, f in sorted(files.items()) for m in f["mutants"]
         if m["status"] == "CompileError" and m["mutatorName"] in ("Statement mutation", "Block removal mutation")]
print(f"  {area}: removals that do not compile: {len(holes)}" + (f" ({', '.join(holes)})" if holes else ""))
PY
}

status=0
if ((together)); then
  declare -A groups
  for area in "${selected[@]}"; do groups[${project[$area]:-Vaultlib.csproj}]+="$area "; done
  for proj in "${!groups[@]}"; do
    group=(${groups[$proj]}); files=""; filters=""
    for area in "${group[@]}"; do files+="${mutate[$area]} "; filters+="${filter[$area]}|"; done
    name="together-${proj%.csproj}"
    echo "== ${group[*]} (one run): $files"
    if ! run_stryker "$name" "$proj" "$files" "${filters%|}"; then status=1; fi
    for area in "${group[@]}"; do
      report="$out_root/$area/reports/mutation-report.json"
      rm -rf "$out_root/$area"; mkdir -p "$(dirname "$report")"
      [[ -f "$out_root/$name/reports/mutation-report.json" ]] || continue
      python3 - "$out_root/$name/reports/mutation-report.json" "$report" ${mutate[$area]} <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["files"] = {p: f for p, f in r["files"].items() if any(p.endswith("/" + x) for x in sys.argv[3:])}
json.dump(r, open(sys.argv[2], "w"))
PY
      echo "== $area"
      score "$report" "$area"
    done
  done
else
  for area in "${selected[@]}"; do
    echo "== $area: ${mutate[$area]}"
    if ! run_stryker "$area" "${project[$area]:-Vaultlib.csproj}" "${mutate[$area]}" "${filter[$area]}"; then status=1; fi
    report="$out_root/$area/reports/mutation-report.json"
    if [[ -f "$report" ]]; then score "$report" "$area"; fi
  done
fi
exit $status
