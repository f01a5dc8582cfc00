#!/usr/bin/env bash
# The notes' AWS CLI commands and boto3 snippet, unchanged, against a Vaultlib endpoint, plus the Secrets Manager,
# ACM and ACM Private CA commands. Each command is printed before it runs; a result that is not what AWS would
# give stops the script with an error.
#
#   vaultlib serve --urls 'http://127.0.0.1:4566;https://localhost:4567' --ca-bundle /tmp/vaultlib-ca.pem &
#   AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=… AWS_DEFAULT_REGION=us-east-1 samples/aws-cli/notes.sh
#
# Over HTTPS: AWS_ENDPOINT_URL=https://localhost:4567 AWS_CA_BUNDLE=/tmp/vaultlib-ca.pem. Needs aws, python3 with
# boto3, and openssl (for a certificate request). The tests run it (AwsCliTests) and so does .ci/run.
set -euo pipefail
: "${AWS_ENDPOINT_URL:?set AWS_ENDPOINT_URL to the vaultlib serve endpoint}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
run() { echo "\$ $*" >&2; "$@"; }
fail() { echo "notes.sh: $*" >&2; exit 1; }
suffix=$(openssl rand -hex 4)   # names of this run, so the script can run again against a durable vault

echo "== KMS" >&2
key=$(run aws kms create-key --description "notes $suffix" --output text --query KeyMetadata.KeyId)
printf 'from the notes' > plain.txt
run aws kms encrypt --key-id "$key" --plaintext fileb://plain.txt --output text --query CiphertextBlob | base64 --decode > blob
run aws kms decrypt --ciphertext-blob fileb://blob --output text --query Plaintext | base64 --decode > decrypted.txt
cmp -s plain.txt decrypted.txt || fail "decrypt did not give back the plaintext"
dek=$(run aws kms generate-data-key --key-id "$key" --key-spec AES_256 --output text --query Plaintext)
[ "$(printf %s "$dek" | base64 --decode | wc -c)" -eq 32 ] || fail "generate-data-key did not give a 32-byte key"
random=$(run aws kms generate-random --number-of-bytes 16 --output text --query Plaintext)
[ "$(printf %s "$random" | base64 --decode | wc -c)" -eq 16 ] || fail "generate-random did not give 16 bytes"

echo "== SSM Parameter Store" >&2
path="/notes-$suffix"
run aws ssm put-parameter --name "$path/name1" --value one --type String >/dev/null
run aws ssm put-parameter --name "$path/name2" --value two --type SecureString >/dev/null
run aws ssm put-parameter --name "$path/deeper/name3" --value three --type String >/dev/null
got=$(run aws ssm get-parameters --names "$path/name1" "$path/name2" --with-decryption --output text --query 'sort(Parameters[].Value)')
[ "$got" = "$(printf 'one\ttwo')" ] || fail "get-parameters --with-decryption gave '$got'"
count=$(run aws ssm get-parameters-by-path --path "$path" --recursive --output text --query 'length(Parameters)')
[ "$count" = 3 ] || fail "get-parameters-by-path --recursive found $count parameters, not 3"
printed=$(NAME1="$path/name1" run python3 - <<'PY'
import os
import boto3
ssm = boto3.client("ssm")
password = ssm.get_parameters(Names=[os.environ["NAME1"]], WithDecryption=True)
print(password["Parameters"][0]["Value"])
PY
)
[ "$printed" = one ] || fail "the boto3 snippet printed '$printed'"

echo "== Secrets Manager" >&2
account=$(aws kms describe-key --key-id "$key" --output text --query KeyMetadata.AWSAccountId)
region=${AWS_DEFAULT_REGION:-us-east-1}
run aws secretsmanager create-secret --name "notes/$suffix/db" --secret-string '{"username":"app","password":"first"}' >/dev/null
before=$(run aws secretsmanager get-secret-value --secret-id "notes/$suffix/db" --output text --query SecretString)
[ "$before" = '{"username":"app","password":"first"}' ] || fail "get-secret-value gave '$before'"
run aws secretsmanager rotate-secret --secret-id "notes/$suffix/db" \
  --rotation-lambda-arn "arn:aws:lambda:$region:$account:function:vaultlib-random-password" \
  --rotation-rules AutomaticallyAfterDays=30 >/dev/null
after=$(run aws secretsmanager get-secret-value --secret-id "notes/$suffix/db" --output text --query SecretString)
python3 -c 'import json,sys; a=json.loads(sys.argv[1]); assert a["username"] == "app" and len(a["password"]) == 32, a["username"]' "$after" \
  || fail "rotate-secret did not put a new 32-character password"
previous=$(run aws secretsmanager get-secret-value --secret-id "notes/$suffix/db" --version-stage AWSPREVIOUS --output text --query SecretString)
[ "$previous" = "$before" ] || fail "AWSPREVIOUS is not the value before the rotation"

echo "== ACM Private CA" >&2
cat > ca.json <<JSON
{"KeyAlgorithm": "RSA_2048", "SigningAlgorithm": "SHA256WITHRSA", "Subject": {"Organization": "Vaultlib notes", "CommonName": "Notes Root CA $suffix"}}
JSON
ca=$(run aws acm-pca create-certificate-authority --certificate-authority-type ROOT --certificate-authority-configuration file://ca.json --output text --query CertificateAuthorityArn)
run aws acm-pca get-certificate-authority-csr --certificate-authority-arn "$ca" --output text > ca.csr
root=$(run aws acm-pca issue-certificate --certificate-authority-arn "$ca" --csr fileb://ca.csr --signing-algorithm SHA256WITHRSA \
  --template-arn arn:aws:acm-pca:::template/RootCACertificate/V1 --validity Value=10,Type=YEARS --output text --query CertificateArn)
run aws acm-pca wait certificate-issued --certificate-authority-arn "$ca" --certificate-arn "$root"
run aws acm-pca get-certificate --certificate-authority-arn "$ca" --certificate-arn "$root" --output text --query Certificate > ca.pem
run aws acm-pca import-certificate-authority-certificate --certificate-authority-arn "$ca" --certificate fileb://ca.pem
openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -subj "/CN=app.internal.example" -out leaf.csr 2>/dev/null
leaf=$(run aws acm-pca issue-certificate --certificate-authority-arn "$ca" --csr fileb://leaf.csr --signing-algorithm SHA256WITHRSA \
  --validity Value=30,Type=DAYS --idempotency-token "$suffix" --output text --query CertificateArn)
run aws acm-pca wait certificate-issued --certificate-authority-arn "$ca" --certificate-arn "$leaf"
run aws acm-pca get-certificate --certificate-authority-arn "$ca" --certificate-arn "$leaf" --output text --query Certificate > leaf.pem
openssl verify -CAfile ca.pem leaf.pem >&2 || fail "the issued certificate does not chain to the CA"

echo "== ACM" >&2
public=$(run aws acm request-certificate --domain-name "www.notes-$suffix.example.com" --validation-method DNS --output text --query CertificateArn)
status=$(run aws acm describe-certificate --certificate-arn "$public" --output text --query Certificate.Status)
[ "$status" = PENDING_VALIDATION ] || fail "a DNS-validated certificate is $status before its record exists"
record=$(aws acm describe-certificate --certificate-arn "$public" --output text --query 'Certificate.DomainValidationOptions[0].ResourceRecord.Name')
case "$record" in _*".www.notes-$suffix.example.com.") ;; *) fail "the validation record is '$record'" ;; esac
private=$(run aws acm request-certificate --domain-name "app.notes-$suffix.internal" --certificate-authority-arn "$ca" --output text --query CertificateArn)
run aws acm wait certificate-validated --certificate-arn "$private"
status=$(run aws acm describe-certificate --certificate-arn "$private" --output text --query Certificate.Status)
[ "$status" = ISSUED ] || fail "a private certificate is $status"

echo "notes.sh: every command worked" >&2
