#!/usr/bin/env python3
"""Records fresh pagination conformance vectors with botocore as the oracle.

Usage: python3 tests/conformance/generate.py --seed 7 --count 400 --out /tmp/vectors-gen

Each vector is one run of ``botocore.paginate.Paginator`` (the installed
botocore, called, not copied) against a scripted in-memory service, written in
the format described in tests/conformance/README.md. The scripted services
answer each call from the request alone (position is carried in the token), as
a real service does; the one exception is the ``duplicate`` quirk, where the
service gets stuck and hands back the token it was given.

Covered: three operations with the paginator configs of the recorded vectors;
datasets of 0..~60 items; PageSize None/1..10; MaxItems None/0/1..25; chains
of runs where step k resumes from step k-1's resume token; raw service tokens
and legacy ``tok___N`` tokens as StartingToken; the service quirks
``none``, ``omit_empty``, ``empty_string_end``, ``duplicate`` (ListFlowOperations),
``request_charged`` (ListObjectVersions), ``filter`` (Scan); S3 keys with
non-ASCII text, quotes, backslashes, control characters and emoji; DynamoDB
keys whose LastEvaluatedKey map is not in sorted key order; fractional
ConsumedCapacity.
"""

import argparse
import base64
import copy
import hashlib
import json
import os
import random
import sys
from types import SimpleNamespace

import botocore
from botocore.exceptions import PaginationError
from botocore.paginate import Paginator

# The paginator configs, exactly as the recorded vectors carry them.
PAGINATORS = {
    "ListFlowOperations": {
        "input_token": "NextToken",
        "output_token": "NextToken",
        "limit_key": "MaxResults",
        "result_key": "FlowOperations",
    },
    "ListObjectVersions": {
        "more_results": "IsTruncated",
        "limit_key": "MaxKeys",
        "output_token": ["NextKeyMarker", "NextVersionIdMarker"],
        "input_token": ["KeyMarker", "VersionIdMarker"],
        "result_key": ["Versions", "DeleteMarkers", "CommonPrefixes"],
        "non_aggregate_keys": ["RequestCharged", "Prefix"],
    },
    "Scan": {
        "input_token": "ExclusiveStartKey",
        "output_token": "LastEvaluatedKey",
        "limit_key": "Limit",
        "result_key": ["Items", "Count", "ScannedCount"],
        "non_aggregate_keys": ["ConsumedCapacity"],
    },
}

QUIRKS = {
    "ListFlowOperations": ["none", "omit_empty", "empty_string_end", "duplicate"],
    "ListObjectVersions": ["none", "request_charged"],
    "Scan": ["none", "filter"],
}

MAX_STEPS = 14


def fake_model(limit_key):
    """The one thing Paginator reads from the operation model: the limit key's type."""
    members = {limit_key: SimpleNamespace(type_name="integer")}
    return SimpleNamespace(input_shape=SimpleNamespace(members=members))


def hexid(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


# --------------------------------------------------------------------------
# Scripted services. Each is built once per chain from the RNG; `__call__`
# depends only on the request.
# --------------------------------------------------------------------------


class FlowService:
    """Network Firewall ListFlowOperations: opaque string NextToken."""

    TYPES = ["FLOW_FLUSH", "FLOW_CAPTURE"]
    STATUSES = ["COMPLETED", "IN_PROGRESS", "FAILED", "COMPLETED_WITH_ERRORS"]

    def __init__(self, rng, quirk):
        self.quirk = quirk
        self.arn = f"arn:aws:network-firewall:us-east-1:123456789012:firewall/fw-{rng.randint(1, 99)}"
        self.filter_type = rng.choice([None, None, None] + self.TYPES)
        n = rng.choice([0, 1, 2, 3, rng.randint(0, 12), rng.randint(0, 30), rng.randint(0, 60)])
        ts = 1733000000.0 + rng.randint(0, 500000)
        self.items = []
        for _ in range(n):
            ts += rng.randint(1000, 6000) + rng.randint(0, 999) / 1000.0
            self.items.append(
                {
                    "FlowOperationId": f"{hexid(rng, 8)}-{hexid(rng, 4)}-{hexid(rng, 4)}-{hexid(rng, 4)}-{hexid(rng, 12)}",
                    "FlowOperationType": rng.choice(self.TYPES),
                    "FlowRequestTimestamp": round(ts, 3),
                    "FlowOperationStatus": rng.choice(self.STATUSES),
                }
            )
        self.default_limit = rng.choice([5, 10, 20])
        self.salt = hexid(rng, 16)
        # Token text per position (position = index into the unfiltered list).
        self.tokens = {p: self._token(p) for p in range(n + 1)}
        self.positions = {t: p for p, t in self.tokens.items()}
        # duplicate: past one position the service is stuck and returns the token it got.
        self.stuck_at = None
        if quirk == "duplicate" and n > 1:
            self.stuck_at = rng.randint(1, min(n - 1, 8))

    def _token(self, p):
        digest = hashlib.sha256(f"{self.salt}:{p}".encode()).digest()
        body = base64.b64encode(digest[:33]).decode().rstrip("=")[:44]
        return "AAE" + body + base64.b64encode(bytes([0, 0, p % 256])).decode()[:4]

    def input(self):
        req = {"FirewallArn": self.arn}
        if self.filter_type is not None:
            req["FlowOperationType"] = self.filter_type
        return req

    def raw_token(self, rng):
        """A service token (not a botocore token) for some position."""
        if len(self.items) < 2:
            return self.tokens[len(self.items)] if self.items else self._token(0)
        return self.tokens[rng.randint(1, len(self.items) - 1)]

    def __call__(self, **req):
        token = req.get("NextToken")
        start = 0 if token is None else self.positions.get(token, 0)
        limit = req.get("MaxResults", self.default_limit)
        chunk = self.items[start : start + limit]
        end = start + len(chunk)
        if self.filter_type is not None:
            chunk = [i for i in chunk if i["FlowOperationType"] == self.filter_type]
        resp = {}
        if chunk or self.quirk != "omit_empty":
            resp["FlowOperations"] = copy.deepcopy(chunk)
        if self.stuck_at is not None and start >= self.stuck_at and token is not None:
            resp["NextToken"] = token
        elif end < len(self.items):
            resp["NextToken"] = self.tokens[end]
        elif self.quirk == "empty_string_end":
            resp["NextToken"] = ""
        return resp


S3_KEY_STEMS = [
    "photos/{n}.jpg",
    "docs/café-{n}.txt",
    "emoji/😀-{n}.png",
    "日本/{n}.csv",
    'quote"d/{n}',
    "back\\slash/{n}",
    "tab\tand/{n}",
    "new\nline/{n}",
    "ctl\x01\x1f\x7f/{n}",
    "bs\b-ff\f/{n}",
    "slash//{n}",
    "ls\u2028ps\u2029/{n}",
    "mix 🎉\"\\é\t/{n}",
    "rare𝄞/{n}",
    "a___b/{n}",
    "ascii-{n}.log",
    "zero\u0000byte/{n}",
]


class S3Service:
    """S3 ListObjectVersions: two-part marker token, IsTruncated."""

    def __init__(self, rng, quirk):
        self.quirk = quirk
        self.bucket = "example-bucket"
        self.prefix = "photos/"
        nkeys = rng.choice([0, 1, 2, rng.randint(0, 8), rng.randint(0, 25)])
        keys = sorted({rng.choice(S3_KEY_STEMS).format(n=rng.randint(1, 9999)) for _ in range(nkeys)})
        self.entries = []
        for key in keys:
            for v in range(rng.choice([1, 1, 2, 3, 4])):
                entry = {"Key": key, "VersionId": hexid(rng, 16), "IsLatest": v == 0}
                if rng.random() < 0.2:
                    self.entries.append(("DeleteMarkers", entry))
                else:
                    entry["Size"] = rng.randint(1, 999999)
                    entry["ETag"] = '"' + hexid(rng, 32) + '"'
                    self.entries.append(("Versions", entry))
        self.entries = self.entries[:60]
        self.default_limit = 5

    def input(self):
        return {"Bucket": self.bucket, "Prefix": self.prefix}

    def _start(self, key_marker, vid_marker):
        if key_marker is None:
            return 0
        if vid_marker is not None:
            for i, (_, e) in enumerate(self.entries):
                if e["Key"] == key_marker and e["VersionId"] == vid_marker:
                    return i + 1
        # Key marker alone (or unknown version): start after every version of that key.
        for i, (_, e) in enumerate(self.entries):
            if e["Key"] > key_marker:
                return i
        return len(self.entries)

    def legacy_token(self, rng):
        if not self.entries:
            return None
        _, e = rng.choice(self.entries)
        if "___" in e["Key"]:
            return None
        vid = e["VersionId"] if rng.random() < 0.8 else "None"
        return f"{e['Key']}___{vid}___{rng.randint(0, 3)}"

    def __call__(self, **req):
        limit = req.get("MaxKeys", self.default_limit)
        start = self._start(req.get("KeyMarker"), req.get("VersionIdMarker"))
        chunk = self.entries[start : start + limit]
        truncated = start + len(chunk) < len(self.entries)
        resp = {
            "Name": self.bucket,
            "Prefix": self.prefix,
            "MaxKeys": limit,
            "IsTruncated": truncated,
        }
        for kind in ("Versions", "DeleteMarkers"):
            got = [copy.deepcopy(e) for k, e in chunk if k == kind]
            if got:
                resp[kind] = got
        if truncated:
            resp["NextKeyMarker"] = chunk[-1][1]["Key"]
            resp["NextVersionIdMarker"] = chunk[-1][1]["VersionId"]
        if self.quirk == "request_charged":
            resp["RequestCharged"] = "requester"
        return resp


class ScanService:
    """DynamoDB Scan: map-valued ExclusiveStartKey/LastEvaluatedKey."""

    KEY_ORDERS = [("sk", "pk"), ("pk", "sk"), ("sk", "pk"), ("sk", "gsi", "pk"), ("zz", "pk", "aa")]

    def __init__(self, rng, quirk):
        self.quirk = quirk
        self.table = "Users"
        n = rng.choice([0, 1, 2, rng.randint(0, 12), rng.randint(0, 30), rng.randint(0, 60)])
        self.key_order = rng.choice(self.KEY_ORDERS)
        self.unit = rng.choice([0.5, 0.5, 1.0, 0.25, 0.1, 1.5])
        pkstyle = rng.choice(["user#{i:05d}", "usér#{i:05d}", "u😀\"{i}", "k\\{i}\t"])
        self.items = []
        for i in range(n):
            item = {"pk": {"S": pkstyle.format(i=i)}, "sk": {"N": str(rng.randint(1, 9))}}
            if "gsi" in self.key_order:
                item["gsi"] = {"S": rng.choice(["a", "ü", "🙂", "x\"y"])}
            if "zz" in self.key_order:
                item["zz"] = {"N": str(rng.randint(-5, 5))}
                item["aa"] = {"S": rng.choice(["", "é", "\\", "\U0001F600\u00e9"])}
            item["score"] = {"N": str(rng.randint(0, 100))}
            self.items.append(item)
        rate = rng.choice([0.1, 0.3, 0.5, 0.7])
        self.keep = [rng.random() < rate for _ in range(n)] if quirk == "filter" else [True] * n
        self.default_limit = rng.choice([2, 3, 10, 100])

    def input(self):
        return {"TableName": self.table}

    def _key(self, item):
        return {k: copy.deepcopy(item[k]) for k in self.key_order}

    def __call__(self, **req):
        start = 0
        esk = req.get("ExclusiveStartKey")
        if esk is not None:
            start = len(self.items)
            for i, item in enumerate(self.items):
                if item["pk"] == esk.get("pk"):
                    start = i + 1
                    break
        limit = req.get("Limit", self.default_limit)
        scanned = list(range(start, min(start + limit, len(self.items))))
        items = [copy.deepcopy(self.items[i]) for i in scanned if self.keep[i]]
        resp = {
            "Items": items,
            "Count": len(items),
            "ScannedCount": len(scanned),
            "ConsumedCapacity": {"TableName": self.table, "CapacityUnits": max(1, len(scanned)) * self.unit},
        }
        if scanned and scanned[-1] + 1 < len(self.items):
            resp["LastEvaluatedKey"] = self._key(self.items[scanned[-1]])
        return resp


SERVICES = {"ListFlowOperations": FlowService, "ListObjectVersions": S3Service, "Scan": ScanService}


# --------------------------------------------------------------------------
# Running botocore
# --------------------------------------------------------------------------


def paginate(operation, service, config, record=None):
    cfg = PAGINATORS[operation]

    def method(**kwargs):
        response = service(**copy.deepcopy(kwargs))
        if record is not None:
            record.append({"request": copy.deepcopy(kwargs), "response": copy.deepcopy(response)})
        return response

    paginator = Paginator(method, cfg, fake_model(cfg["limit_key"]))
    return paginator.paginate(**copy.deepcopy(service.input()), PaginationConfig=dict(config))


def run(operation, service, config):
    exchange, pages, error = [], [], None
    iterator = paginate(operation, service, config, exchange)
    try:
        for page in iterator:
            pages.append(copy.deepcopy(page))
    except PaginationError as e:
        error = str(e)
    resume_token = iterator.resume_token
    try:
        full = paginate(operation, service, config).build_full_result()
        full = copy.deepcopy(full)
    except PaginationError:
        full = None
    return exchange, pages, resume_token, full, error


def pick_config(rng, operation, service):
    config = {}
    # A stuck service only shows when the run gets that far: fewer caps there.
    if rng.random() < (0.4 if getattr(service, "stuck_at", None) else 0.85):
        config["MaxItems"] = rng.choice([0, 1, 1, 2, 3, 4, 5, 7, 10, rng.randint(1, 25)])
    if rng.random() < 0.85:
        config["PageSize"] = rng.randint(1, 10)
    start = None
    r = rng.random()
    if operation == "ListFlowOperations" and r < 0.12:
        start = service.raw_token(rng)
    elif operation == "ListFlowOperations" and r < 0.25 and service.items:
        p = rng.randint(0, len(service.items) - 1)
        start = f"{service.tokens[p]}___{rng.randint(0, 4)}"
    elif operation == "ListObjectVersions" and r < 0.15:
        start = service.legacy_token(rng)
    return config, start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True, help="number of vector files to write")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    written = 0
    run_index = 0
    ops = list(PAGINATORS)
    while written < args.count:
        operation = rng.choice(ops)
        quirk = rng.choice(QUIRKS[operation])
        service = SERVICES[operation](rng, quirk)
        config, start = pick_config(rng, operation, service)
        seen_tokens = set()
        for step in range(MAX_STEPS):
            if written >= args.count:
                break
            cfg = dict(config)
            if start is not None:
                cfg["StartingToken"] = start
            exchange, pages, resume, full, error = run(operation, service, cfg)
            name = f"{operation}-{args.seed}-{run_index:04d}-step{step}"
            run_index += 1
            vector = {
                "name": name,
                "operation": operation,
                "paginator": PAGINATORS[operation],
                "service_quirk": quirk,
                "input": service.input(),
                "config": cfg,
                "exchange": exchange,
                "pages": pages,
                "resume_token": resume,
                "full_result": full,
                "error": error,
                "botocore": botocore.__version__,
            }
            with open(os.path.join(args.out, name + ".json"), "w", encoding="utf-8") as f:
                json.dump(vector, f, indent=1, ensure_ascii=False)
                f.write("\n")
            written += 1
            if error is not None or resume is None or resume in seen_tokens:
                break
            seen_tokens.add(resume)
            start = resume
    print(f"wrote {written} vectors to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
