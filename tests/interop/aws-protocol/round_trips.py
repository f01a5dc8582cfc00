"""Runs round-trips.json against a Vaultlib endpoint through botocore (boto3's clients) over HTTP, and checks every
answer against AWS's service model copied into the tests (TestData/aws-models): members by AWS's names and types,
required members present, enum values AWS defines, nothing AWS does not define; errors by a code the operation
declares, with x-amzn-RequestId and Date on every answer. Usage: round_trips.py SCENARIO MODELS_DIR (the endpoint and
credentials from AWS_ENDPOINT_URL and the usual AWS_* variables). Prints one line per step; exits 1 on any failure."""
import base64
import gzip
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile

import boto3
import botocore.exceptions
import botocore.model

PREFIXES = {"TrentService": "kms", "AmazonSSM": "ssm", "secretsmanager": "secretsmanager", "CertificateManager": "acm", "ACMPrivateCA": "acm-pca"}
# Errors any operation may answer (AWS's common errors), besides those the model lists for it.
COMMON = {"ValidationException", "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "SerializationException", "ThrottlingException"}
OAEP_PLAINTEXT = bytes(range(32))


def problems(shape, value, path):
    """Every way value differs from what AWS's model lets shape be, as 'path: what'."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not an object"]
        found = []
        for name in value:
            if name not in shape.members:
                found.append(f"{path}.{name}: not a member of {shape.name}")
        for name in shape.required_members:
            if name not in value:
                found.append(f"{path}.{name}: required by {shape.name} but absent")
        for name, member in shape.members.items():
            if name in value:
                found += problems(member, value[name], f"{path}.{name}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: not a list"]
        return [p for i, item in enumerate(value) for p in problems(shape.member, item, f"{path}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: not a map"]
        return [p for k, v in value.items() for p in problems(shape.key, k, f"{path}{{key}}") + problems(shape.value, v, f"{path}[{k}]")]
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: {type(value).__name__}, not a string"]
        if shape.enum and value not in shape.enum:
            return [f"{path}: '{value}' is not one of {shape.name}'s values"]
        return []
    if kind == "blob":
        try:
            base64.b64decode(value, validate=True)
            return []
        except Exception:
            return [f"{path}: not base64"]
    if kind == "timestamp":
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: timestamp not in epoch seconds"]
    if kind in ("integer", "long"):
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{path}: not an integer"]
    if kind in ("float", "double"):
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: not a number"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: not a boolean"]
    return [f"{path}: unexpected shape type {kind}"]


def load_models(directory):
    models = {}
    for service in PREFIXES.values():
        with gzip.open(os.path.join(directory, f"{service}.json.gz")) as f:
            models[service] = botocore.model.ServiceModel(json.load(f), service_name=service)
    return models


def saved_value(body, path):
    path, _, after = path.partition("#")
    value = body
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        value = value[int(part[1:-1])] if part.startswith("[") else value[part]
    text = value if isinstance(value, str) else json.dumps(value)
    return text.rsplit(after, 1)[1] if after else text


def oaep(public_key_b64):
    with tempfile.TemporaryDirectory() as work:
        key = os.path.join(work, "public.der")
        with open(key, "wb") as f:
            f.write(base64.b64decode(public_key_b64))
        return base64.b64encode(subprocess.run(
            ["openssl", "pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", key, "-pkeyopt", "rsa_padding_mode:oaep",
             "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256"], input=OAEP_PLAINTEXT, capture_output=True, check=True).stdout).decode()


def substitute(value, saved):
    if isinstance(value, dict):
        return {k: substitute(v, saved) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, saved) for v in value]
    if not isinstance(value, str):
        return value

    def one(match):
        function, _, name = match.group(1).rpartition(":")
        if function == "base64":
            return base64.b64encode(saved[name].encode()).decode()
        if function == "oaep":
            return oaep(saved[name])
        return saved[name]
    return re.sub(r"\$\{([^}]+)\}", one, value)


def to_python(shape, value):
    """The scenario's JSON as botocore takes it: blobs as bytes."""
    if shape.type_name == "structure":
        return {k: to_python(shape.members[k], v) for k, v in value.items()}
    if shape.type_name == "list":
        return [to_python(shape.member, v) for v in value]
    if shape.type_name == "map":
        return {k: to_python(shape.value, v) for k, v in value.items()}
    if shape.type_name == "blob":
        return base64.b64decode(value)
    return value


def main():
    scenario, models_dir = sys.argv[1], sys.argv[2]
    models = load_models(models_dir)
    steps = json.load(open(scenario))["steps"]
    saved = {"unique": secrets.token_hex(4)}
    clients = {}
    answer = {}

    def capture(response_dict, **_):
        answer["status"] = response_dict["status_code"]
        answer["headers"] = {k.lower(): v for k, v in response_dict["headers"].items()}
        answer["body"] = response_dict["body"]

    failures = 0
    for step in steps:
        prefix, operation = step["target"].split(".")
        service, region = PREFIXES[prefix], step.get("region", os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
        if (service, region) not in clients:
            client = boto3.client(service, region_name=region, config=botocore.config.Config(retries={"max_attempts": 1}))
            client.meta.events.register("before-parse", lambda **kw: capture(**kw))
            clients[service, region] = client
        client = clients[service, region]
        model = models[service].operation_model(operation)
        found = []
        answer.clear()
        try:
            params = to_python(model.input_shape, substitute(step["input"], saved)) if model.input_shape else {}
            client._make_api_call(operation, params)
            if "error" in step:
                found.append(f"succeeded where {step['error']} was expected")
        except botocore.exceptions.ClientError as error:
            code = error.response["Error"]["Code"]
            if code != step.get("error"):
                found.append(f"{code}: {error.response['Error'].get('Message')}")
            declared = {shape.name for shape in model.error_shapes} | COMMON
            if code not in declared:
                found.append(f"{code} is not an error the model lists for {operation}")
        except (KeyError, botocore.exceptions.ParamValidationError) as error:
            found.append(f"the step could not be made: {error!r}")
        if "body" in answer:
            body = json.loads(answer["body"] or b"{}")
            if answer["status"] == 200:
                found += problems(model.output_shape, body, operation) if model.output_shape else ([] if body == {} else [f"{operation}: a body where AWS has none"])
                for name, path in step.get("save", {}).items():
                    try:
                        saved[name] = saved_value(body, path)
                    except (KeyError, IndexError) as missing:
                        found.append(f"nothing at {path} to save as {name}: {missing!r}")
            elif set(body) - {"__type", "message", "Message"}:
                found.append(f"error body with other members: {sorted(body)}")
            for header in ("x-amzn-requestid", "date"):
                if header not in answer["headers"]:
                    found.append(f"no {header} header")
        print(("ok   " if not found else "FAIL ") + step["target"] + "".join("\n     " + p for p in found), flush=True)
        failures += bool(found)
    print(f"{len(steps) - failures} of {len(steps)} steps round-tripped")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
