#!/usr/bin/env python3
"""Records fresh pagination conformance vectors with botocore as the oracle.

Usage: python3 tests/conformance/generate.py --seed 7 --count 400 --out /tmp/vectors-gen
       [--operations ListObjects,GetQueryResults]

Each vector is one run of ``botocore.paginate.Paginator`` (the installed
botocore, called, not copied) against a scripted in-memory service, written in
the format described in tests/conformance/README.md. The scripted services
answer each call from the request alone (position is carried in the token), as
a real service does; the one exception is the ``duplicate`` quirk, where the
service gets stuck and hands back the token it was given.

Covered: the eight operations of the recorded vectors (``vectors/`` and
``vectors-shapes/``) with their paginator configs, all by default, a subset
with --operations; datasets of 0..~60 items; PageSize None/1..10; MaxItems
None/0/1..25; chains of runs where step k resumes from step k-1's resume token;
raw service tokens and legacy ``tok___N`` tokens as StartingToken; the service
quirks ``none``, ``omit_empty``, ``empty_string_end``, ``duplicate``
(ListFlowOperations), ``request_charged`` (ListObjectVersions, ListObjects),
``filter`` (Scan), ``kms`` (DescribeStream), ``omit_empty_items``
(ListDistributions), ``delimiter`` (ListObjects); S3 keys with non-ASCII text,
quotes, backslashes, control characters and emoji; DynamoDB keys whose
LastEvaluatedKey map is not in sorted key order; fractional ConsumedCapacity;
nested and computed output tokens (``StreamDescription.Shards[-1].ShardId``,
``NextMarker || Contents[-1].Key``); string limit keys (CloudFront, Route 53,
sent as strings as botocore does); Route 53's three-part token whose third
part is usually absent; Athena rows with NULL cells.

Every vector also carries ``search``: two JMESPath expressions from a small
per-operation list (SEARCHES), each with every value botocore's
``PageIterator.search(expression)`` yielded on a fresh run of the same config
against the same service (the run must make the same calls). An expression
that raises a JMESPath error on some page (``length(null)``) is skipped for
that vector; where the run raises a PaginationError, the values yielded before
it are kept and the entry gets ``error``. Expressions are chosen with an RNG of
their own, so that --operations with the three original operations writes the
same vectors as before, plus ``search``.
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
from jmespath.exceptions import JMESPathError

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
    # vectors-shapes/: paginators beyond flat fields.
    "DescribeStream": {
        "input_token": "ExclusiveStartShardId",
        "limit_key": "Limit",
        "more_results": "StreamDescription.HasMoreShards",
        "output_token": "StreamDescription.Shards[-1].ShardId",
        "result_key": "StreamDescription.Shards",
        "non_aggregate_keys": [
            "StreamDescription.StreamARN",
            "StreamDescription.StreamName",
            "StreamDescription.StreamStatus",
            "StreamDescription.RetentionPeriodHours",
            "StreamDescription.EnhancedMonitoring",
            "StreamDescription.EncryptionType",
            "StreamDescription.KeyId",
            "StreamDescription.StreamCreationTimestamp",
        ],
    },
    "ListDistributions": {
        "input_token": "Marker",
        "output_token": "DistributionList.NextMarker",
        "limit_key": "MaxItems",
        "more_results": "DistributionList.IsTruncated",
        "result_key": "DistributionList.Items",
    },
    "ListObjects": {
        "more_results": "IsTruncated",
        "limit_key": "MaxKeys",
        "output_token": "NextMarker || Contents[-1].Key",
        "input_token": "Marker",
        "result_key": ["Contents", "CommonPrefixes"],
        "non_aggregate_keys": ["RequestCharged", "Prefix"],
    },
    "ListResourceRecordSets": {
        "more_results": "IsTruncated",
        "limit_key": "MaxItems",
        "result_key": "ResourceRecordSets",
        "input_token": ["StartRecordName", "StartRecordType", "StartRecordIdentifier"],
        "output_token": ["NextRecordName", "NextRecordType", "NextRecordIdentifier"],
    },
    "GetQueryResults": {
        "input_token": "NextToken",
        "output_token": "NextToken",
        "limit_key": "MaxResults",
        "result_key": "ResultSet.Rows",
        "non_aggregate_keys": ["ResultSet.ResultSetMetadata", "UpdateCount"],
    },
}

# The limit key's type in the service model (botocore sends PageSize as a
# string when it is `string`). Written as `limit_key_type` for the operations
# of vectors-shapes/, whose vectors carry it.
LIMIT_KEY_TYPES = {
    "DescribeStream": "integer",
    "ListDistributions": "string",
    "ListObjects": "integer",
    "ListResourceRecordSets": "string",
    "GetQueryResults": "integer",
}

QUIRKS = {
    "ListFlowOperations": ["none", "omit_empty", "empty_string_end", "duplicate"],
    "ListObjectVersions": ["none", "request_charged"],
    "Scan": ["none", "filter"],
    "DescribeStream": ["none", "none", "kms"],
    "ListDistributions": ["none", "omit_empty_items"],
    "ListObjects": ["none", "request_charged", "delimiter"],
    "ListResourceRecordSets": ["none"],
    "GetQueryResults": ["none"],
}

# JMESPath expressions for `search`; each vector records two of them.
SEARCHES = {
    "ListFlowOperations": [
        "FlowOperations[].FlowOperationId",
        "FlowOperations[?FlowOperationStatus=='COMPLETED'] | [0]",
        "NextToken",
        "length(FlowOperations)",
        "FlowOperations[].{id: FlowOperationId, type: FlowOperationType}",
    ],
    "ListObjectVersions": [
        "Versions[].Key",
        "DeleteMarkers[].VersionId",
        "Versions[?IsLatest].[Key, VersionId]",
        "[NextKeyMarker, NextVersionIdMarker]",
        "length(Versions)",
        "IsTruncated",
    ],
    "Scan": [
        "Items[].pk.S",
        "Count",
        "ScannedCount",
        "LastEvaluatedKey",
        "Items[?sk.N=='3'].pk",
        "ConsumedCapacity.CapacityUnits",
    ],
    "DescribeStream": [
        "StreamDescription.Shards[].ShardId",
        "StreamDescription.Shards[-1].ShardId",
        "StreamDescription.HasMoreShards",
        "StreamDescription.Shards[?ParentShardId].[ShardId, ParentShardId]",
        "length(StreamDescription.Shards)",
        "StreamDescription.{name: StreamName, status: StreamStatus, encryption: EncryptionType}",
    ],
    "ListDistributions": [
        "DistributionList.Items[].Id",
        "DistributionList.Items[?Enabled].DomainName",
        "DistributionList.NextMarker",
        "DistributionList.Quantity",
        "DistributionList.Items[?Status=='Deployed'] | [0].ARN",
        "length(DistributionList.Items)",
    ],
    "ListObjects": [
        "Contents[-1].Key",
        "Contents[].Key",
        "CommonPrefixes[].Prefix",
        "NextMarker || Contents[-1].Key",
        "Contents[?Size > `500000`].Key",
        "length(Contents)",
    ],
    "ListResourceRecordSets": [
        "ResourceRecordSets[?Type=='A'].Name",
        "ResourceRecordSets[].[Name, Type, SetIdentifier]",
        "[NextRecordName, NextRecordType, NextRecordIdentifier]",
        "ResourceRecordSets[].ResourceRecords[].Value",
        "ResourceRecordSets[?SetIdentifier].SetIdentifier",
        "IsTruncated",
    ],
    "GetQueryResults": [
        "ResultSet.Rows[].Data[0].VarCharValue",
        "ResultSet.Rows[].Data[].VarCharValue",
        "ResultSet.ResultSetMetadata.ColumnInfo[].Name",
        "NextToken",
        "UpdateCount",
        "length(ResultSet.Rows)",
    ],
}
SEARCHES_PER_VECTOR = 2

MAX_STEPS = 14


def fake_model(limit_key, type_name="integer"):
    """The one thing Paginator reads from the operation model: the limit key's type."""
    members = {limit_key: SimpleNamespace(type_name=type_name)}
    return SimpleNamespace(input_shape=SimpleNamespace(members=members))


def hexid(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def opaque_token(salt, p):
    """An AWS-looking opaque page token for position p."""
    digest = hashlib.sha256(f"{salt}:{p}".encode()).digest()
    body = base64.b64encode(digest[:33]).decode().rstrip("=")[:44]
    return "AAE" + body + base64.b64encode(bytes([0, 0, p % 256])).decode()[:4]


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


# --------------------------------------------------------------------------
# The operations of vectors-shapes/.
# --------------------------------------------------------------------------


def legacy(rng, *parts):
    """botocore's pre-base64 token text: the input tokens, then the truncation amount."""
    return "___".join(["None" if p is None else p for p in parts] + [str(rng.randint(0, 4))])


class KinesisService:
    """Kinesis DescribeStream: the token is the last shard's id (ExclusiveStartShardId)."""

    def __init__(self, rng, quirk):
        self.quirk = quirk
        self.name = rng.choice(["clicks", "clicks", "orders-eu", "logs.app_1"])
        self.arn = f"arn:aws:kinesis:us-east-1:123456789012:stream/{self.name}"
        n = rng.choice([1, 1, 2, 3, rng.randint(1, 12), rng.randint(1, 30), rng.randint(1, 45)])
        first, step = rng.randint(0, 2), rng.choice([1, 3, 3, 7])
        self.shards = []
        for i in range(n):
            number = first + i * step
            lo, hi = i * 2**128 // n, (i + 1) * 2**128 // n - 1
            start_seq = rng.randint(10**28, 10**31)
            shard = {
                "ShardId": f"shardId-{number:012d}",
                "HashKeyRange": {"StartingHashKey": str(lo), "EndingHashKey": str(hi)},
                "SequenceNumberRange": {"StartingSequenceNumber": str(start_seq)},
            }
            if rng.random() < 0.1:
                shard["SequenceNumberRange"]["EndingSequenceNumber"] = str(start_seq + rng.randint(1, 10**20))
            if number > 0 and rng.random() < 0.2:
                shard["ParentShardId"] = f"shardId-{rng.randint(0, number - 1):012d}"
                if rng.random() < 0.3:
                    shard["AdjacentParentShardId"] = f"shardId-{rng.randint(0, number - 1):012d}"
            self.shards.append(shard)
        self.created = 1732500000 + rng.randint(0, 999999) + rng.choice([0, 0.25, 0.5])
        self.retention = rng.choice([24, 24, 168])
        self.metrics = rng.choice([[], [], ["IncomingBytes", "OutgoingRecords"]])
        self.default_limit = rng.choice([2, 3, 100])

    def input(self):
        return {"StreamName": self.name}

    def start_token(self, rng):
        shard = rng.choice(self.shards)["ShardId"]
        return shard if rng.random() < 0.6 else legacy(rng, shard)

    def __call__(self, **req):
        after = req.get("ExclusiveStartShardId")
        shards = [s for s in self.shards if after is None or s["ShardId"] > after]
        chunk = shards[: req.get("Limit", self.default_limit)]
        desc = {
            "StreamName": self.name,
            "StreamARN": self.arn,
            "StreamStatus": "ACTIVE",
            "Shards": copy.deepcopy(chunk),
            "HasMoreShards": len(chunk) < len(shards),
            "RetentionPeriodHours": self.retention,
            "StreamCreationTimestamp": self.created,
            "EnhancedMonitoring": [{"ShardLevelMetrics": list(self.metrics)}],
            "EncryptionType": "KMS" if self.quirk == "kms" else "NONE",
        }
        if self.quirk == "kms":
            desc["KeyId"] = "alias/aws/kinesis"
        return {"StreamDescription": desc}


class CloudFrontService:
    """CloudFront ListDistributions: everything under DistributionList; MaxItems is a string."""

    ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def __init__(self, rng, quirk):
        self.quirk = quirk
        n = rng.choice([0, 1, 2, 3, rng.randint(0, 12), rng.randint(0, 30), rng.randint(0, 60)])
        self.items = []
        for _ in range(n):
            ident = "E" + "".join(rng.choice(self.ALPHABET) for _ in range(13))
            self.items.append(
                {
                    "Id": ident,
                    "ARN": f"arn:aws:cloudfront::123456789012:distribution/{ident}",
                    "Status": rng.choice(["Deployed", "InProgress"]),
                    "DomainName": f"{ident.lower()}.cloudfront.net",
                    "Enabled": rng.random() < 0.85,
                }
            )
        self.default_limit = rng.choice([2, 3, 100])

    def input(self):
        return {}

    def start_token(self, rng):
        if not self.items:
            return None
        ident = rng.choice(self.items)["Id"]
        return ident if rng.random() < 0.6 else legacy(rng, ident)

    def __call__(self, **req):
        marker = req.get("Marker")
        start = 0
        if marker is not None:
            start = next((i + 1 for i, d in enumerate(self.items) if d["Id"] == marker), 0)
        limit = int(req.get("MaxItems", self.default_limit))
        chunk = self.items[start : start + limit]
        truncated = start + len(chunk) < len(self.items)
        dl = {
            "Marker": marker if marker is not None else "",
            "MaxItems": limit,
            "IsTruncated": truncated,
            "Quantity": len(chunk),
        }
        if chunk or self.quirk != "omit_empty_items":
            dl["Items"] = copy.deepcopy(chunk)
        if truncated:
            dl["NextMarker"] = chunk[-1]["Id"]
        return {"DistributionList": dl}


LIST_OBJECTS_STEMS = ["a/{n}.txt", "b/café-{n}", 'c/{n} "q".bin', "d/😀{n}", "e\\{n}", "top-{n}"]


class S3ListObjectsService:
    """S3 ListObjects (v1): Marker <- NextMarker || Contents[-1].Key; NextMarker only with a Delimiter."""

    def __init__(self, rng, quirk):
        self.quirk = quirk
        self.bucket = "example-bucket"
        self.delimiter = "/" if quirk == "delimiter" else None
        stems = LIST_OBJECTS_STEMS if rng.random() < 0.6 else LIST_OBJECTS_STEMS + S3_KEY_STEMS
        nkeys = rng.choice([0, 1, 2, rng.randint(0, 8), rng.randint(0, 25), rng.randint(0, 60)])
        keys = sorted({rng.choice(stems).format(n=rng.randint(1, 9999)) for _ in range(nkeys)})
        self.objects = [{"Key": k, "Size": rng.randint(0, 999999), "StorageClass": "STANDARD"} for k in keys]
        self.default_limit = rng.choice([1, 2, 100])

    def input(self):
        req = {"Bucket": self.bucket}
        if self.delimiter is not None:
            req["Delimiter"] = self.delimiter
        return req

    def start_token(self, rng):
        if not self.objects:
            return None
        key = rng.choice(self.objects)["Key"]
        return key if rng.random() < 0.6 or "___" in key else legacy(rng, key)

    def _entries(self, marker, delimiter):
        """Keys and common prefixes after the marker, in order."""
        entries, last_prefix = [], None
        for obj in self.objects:
            key = obj["Key"]
            if marker is not None and key <= marker:
                continue
            if delimiter:
                cut = key.find(delimiter)
                if cut >= 0:
                    prefix = key[: cut + len(delimiter)]
                    if (marker is not None and prefix <= marker) or prefix == last_prefix:
                        continue
                    last_prefix = prefix
                    entries.append(("CommonPrefixes", {"Prefix": prefix}))
                    continue
            entries.append(("Contents", obj))
        return entries

    def __call__(self, **req):
        marker = req.get("Marker")
        delimiter = req.get("Delimiter")
        limit = req.get("MaxKeys", self.default_limit)
        entries = self._entries(marker, delimiter)
        chunk = entries[:limit]
        truncated = len(entries) > len(chunk)
        resp = {
            "IsTruncated": truncated,
            "Marker": marker if marker is not None else "",
            "Name": self.bucket,
            "Prefix": "",
            "MaxKeys": limit,
        }
        for kind in ("Contents", "CommonPrefixes"):
            got = [copy.deepcopy(e) for k, e in chunk if k == kind]
            if got:
                resp[kind] = got
        if delimiter:
            resp["Delimiter"] = delimiter
            if truncated:
                last = chunk[-1][1]
                resp["NextMarker"] = last.get("Key", last.get("Prefix"))
        if self.quirk == "request_charged":
            resp["RequestCharged"] = "requester"
        return resp


class Route53Service:
    """Route 53 ListResourceRecordSets: name/type/identifier token; MaxItems is a string."""

    TYPES = ["A", "AAAA", "CNAME", "MX", "TXT"]

    def __init__(self, rng, quirk):
        self.quirk = quirk
        self.zone = "Z0123456789ABCDEFGHIJ"
        names = [f"a{i}.example.com." for i in range(50)]
        names += ["api.example.com.", "www.example.com.", "mail.example.com."]
        if rng.random() < 0.3:
            names += ["\\052.example.com.", "_dmarc.example.com.", "xn--caf-dma.example.com."]
        n = rng.choice([0, 1, 2, rng.randint(0, 10), rng.randint(0, 30), rng.randint(0, 50)])
        seen, records = set(), []
        for _ in range(n):
            name, rtype = rng.choice(names), rng.choice(self.TYPES)
            if (name, rtype) in seen:
                continue
            seen.add((name, rtype))
            weighted = rng.random() < 0.15
            for ident in ["blue", "green"] if weighted else [None]:
                rec = {"Name": name, "Type": rtype, "TTL": 300, "ResourceRecords": [{"Value": self._value(rng, rtype)}]}
                if ident is not None:
                    rec["SetIdentifier"] = ident
                    rec["Weight"] = 50
                records.append(rec)
        self.records = sorted(records, key=self._key)
        self.default_limit = rng.choice(["2", "3", "100"])

    @staticmethod
    def _value(rng, rtype):
        return {
            "A": f"192.0.2.{rng.randint(1, 254)}",
            "AAAA": f"2001:db8::{rng.randint(1, 65535):x}",
            "CNAME": f"target-{rng.randint(1, 99)}.example.net.",
            "MX": f"{rng.choice([1, 10, 20])} mx{rng.randint(1, 9)}.example.com.",
            "TXT": rng.choice(['"v=spf1 -all"', '"caf\\303\\251 \\"quoted\\""', '"k=v; p=MIGf"']),
        }[rtype]

    @staticmethod
    def _key(rec):
        return (rec["Name"], rec["Type"], rec.get("SetIdentifier", ""))

    def input(self):
        return {"HostedZoneId": self.zone}

    def start_token(self, rng):
        if not self.records:
            return None
        rec = rng.choice(self.records)
        if "SetIdentifier" in rec:
            return legacy(rng, rec["Name"], rec["Type"], rec["SetIdentifier"])
        r = rng.random()
        if r < 0.4:
            return legacy(rng, rec["Name"], rec["Type"], None)
        if r < 0.7:
            return f"{rec['Name']}___{rec['Type']}"
        # A name alone: botocore sets the other two input tokens to None.
        return rec["Name"]

    def __call__(self, **req):
        start = 0
        if req.get("StartRecordName") is not None:
            at = (req["StartRecordName"], req.get("StartRecordType") or "", req.get("StartRecordIdentifier") or "")
            start = next((i for i, r in enumerate(self.records) if self._key(r) >= at), len(self.records))
        limit = req.get("MaxItems", self.default_limit)
        chunk = self.records[start : start + int(limit)]
        end = start + len(chunk)
        resp = {"ResourceRecordSets": copy.deepcopy(chunk), "IsTruncated": end < len(self.records), "MaxItems": limit}
        if end < len(self.records):
            nxt = self.records[end]
            resp["NextRecordName"] = nxt["Name"]
            resp["NextRecordType"] = nxt["Type"]
            if "SetIdentifier" in nxt:
                resp["NextRecordIdentifier"] = nxt["SetIdentifier"]
        return resp


class AthenaService:
    """Athena GetQueryResults: result key ResultSet.Rows, opaque NextToken."""

    def __init__(self, rng, quirk):
        self.quirk = quirk
        random_id = f"{hexid(rng, 8)}-{hexid(rng, 4)}-{hexid(rng, 4)}-{hexid(rng, 4)}-{hexid(rng, 12)}"
        self.query_id = rng.choice(["c0ffee00-1234-4321-abcd-0123456789ab", random_id])
        columns = [("id", "integer"), ("name", "varchar")] + ([("score", "double")] if rng.random() < 0.3 else [])
        self.metadata = {"ColumnInfo": [{"Name": c, "Type": t} for c, t in columns]}
        n = rng.choice([0, 1, 2, 3, rng.randint(0, 12), rng.randint(0, 30), rng.randint(0, 60)])
        names = ["näme-{r}", 'q"uote-{r}', "emoji-😀-{r}", "back\\slash-{r}", "plain-{r}"]
        self.rows = []
        if n > 0 or rng.random() < 0.3:
            self.rows.append({"Data": [{"VarCharValue": c} for c, _ in columns]})
        for i in range(n):
            data = [{"VarCharValue": str(i)}]
            # A NULL cell is an empty Datum.
            data.append({} if rng.random() < 0.1 else {"VarCharValue": rng.choice(names).format(r=rng.randint(0, 999))})
            if len(columns) == 3:
                data.append({"VarCharValue": f"{rng.randint(0, 1000) / 8}"})
            self.rows.append({"Data": data})
        self.salt = hexid(rng, 16)
        self.tokens = {p: opaque_token(self.salt, p) for p in range(len(self.rows) + 1)}
        self.positions = {t: p for p, t in self.tokens.items()}
        self.default_limit = rng.choice([2, 3, 1000])

    def input(self):
        return {"QueryExecutionId": self.query_id}

    def start_token(self, rng):
        if len(self.rows) < 2:
            return None
        token = self.tokens[rng.randint(1, len(self.rows) - 1)]
        return token if rng.random() < 0.6 else legacy(rng, token)

    def __call__(self, **req):
        token = req.get("NextToken")
        start = 0 if token is None else self.positions.get(token, 0)
        chunk = self.rows[start : start + req.get("MaxResults", self.default_limit)]
        end = start + len(chunk)
        rows = {"Rows": copy.deepcopy(chunk), "ResultSetMetadata": copy.deepcopy(self.metadata)}
        resp = {"UpdateCount": 0, "ResultSet": rows}
        if end < len(self.rows):
            resp["NextToken"] = self.tokens[end]
        return resp


SERVICES = {
    "ListFlowOperations": FlowService,
    "ListObjectVersions": S3Service,
    "Scan": ScanService,
    "DescribeStream": KinesisService,
    "ListDistributions": CloudFrontService,
    "ListObjects": S3ListObjectsService,
    "ListResourceRecordSets": Route53Service,
    "GetQueryResults": AthenaService,
}


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

    model = fake_model(cfg["limit_key"], LIMIT_KEY_TYPES.get(operation, "integer"))
    paginator = Paginator(method, cfg, model)
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


def search_seed(seed, name):
    """The RNG seed for a vector's search expressions: its own stream, so that
    choosing them leaves the main RNG (and every other field) untouched."""
    return int.from_bytes(hashlib.sha256(f"search:{seed}:{name}".encode()).digest()[:8], "big")


def run_search(operation, service, config, expression, expected_exchange):
    """Every value PageIterator.search(expression) yields on a fresh run.

    Returns None when the expression raises a JMESPath error on some page."""
    exchange, results, error = [], [], None
    try:
        for value in paginate(operation, service, config, exchange).search(expression):
            results.append(copy.deepcopy(value))
    except PaginationError as e:
        error = str(e)
    except JMESPathError:
        return None
    if exchange != expected_exchange:
        raise AssertionError(f"{operation}: the search run for {expression!r} made other calls")
    entry = {"expression": expression, "results": results}
    if error is not None:
        entry["error"] = error
    return entry


def searches(operation, service, config, exchange, seed, name):
    rng = random.Random(search_seed(seed, name))
    candidates = SEARCHES[operation][:]
    rng.shuffle(candidates)
    chosen = []
    for expression in candidates:
        if len(chosen) == SEARCHES_PER_VECTOR:
            break
        entry = run_search(operation, service, config, expression, exchange)
        if entry is not None:
            chosen.append(entry)
    return chosen


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
    elif operation in LIMIT_KEY_TYPES and r < 0.15:
        # A raw service token, or a legacy `tok___N` one.
        start = service.start_token(rng)
    return config, start


def operations_arg(text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in PAGINATORS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown operation(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(PAGINATORS)}"
        )
    # Canonical order, so that the order given does not change the output.
    return [op for op in PAGINATORS if op in names]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True, help="number of vector files to write")
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--operations",
        type=operations_arg,
        default=list(PAGINATORS),
        help=f"comma-separated operations to cover (default: all eight: {','.join(PAGINATORS)})",
    )
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    written = 0
    run_index = 0
    ops = args.operations
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
            vector = {"name": name, "operation": operation, "paginator": PAGINATORS[operation]}
            if operation in LIMIT_KEY_TYPES:
                vector["limit_key_type"] = LIMIT_KEY_TYPES[operation]
            vector.update(
                {
                    "service_quirk": quirk,
                    "input": service.input(),
                    "config": cfg,
                    "exchange": exchange,
                    "pages": pages,
                    "resume_token": resume,
                    "full_result": full,
                    "error": error,
                    "search": searches(operation, service, cfg, exchange, args.seed, name),
                    "botocore": botocore.__version__,
                }
            )
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
