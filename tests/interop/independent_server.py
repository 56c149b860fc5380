#!/usr/bin/env python3
"""A minimal, independent AWS Network Firewall ListFlowOperations endpoint.

Written from the public API description only (it shares no code or data with
examples/network-firewall), so that the AWS CLI and list_flow_operations can be
compared against a server neither of them was developed against.

    python3 independent_server.py [PORT]        # PORT 0 or absent: any free port

Prints ``listening on http://127.0.0.1:PORT`` as its first stdout line, then one
``firewall: ARN`` line per firewall, then serves until killed.

Protocol: AWS JSON 1.0 -- ``POST /`` with ``X-Amz-Target:
NetworkFirewall_20201112.ListFlowOperations`` and a JSON body; answers
``application/x-amz-json-1.0``. Signatures are NOT verified: a request only
needs some ``Authorization`` header (else MissingAuthenticationTokenException).

Behaviour, deliberately different in its details from our own endpoint:

* The dataset is fixed (see ``DATASET``): 41 operations on the main firewall,
  timestamps sent as integers and as fractional numbers with 1..9 digits (and
  ``.0`` / trailing zeros, written verbatim on the wire), members sent in an
  order that is not the model's, an unknown extra member, a member left out,
  an unknown status value, and one operation whose id holds non-ASCII text,
  an astral-plane character and characters JSON must escape. Strings go on the
  wire ``\\u``-escaped (``ensure_ascii``).
* Filters (FlowOperationType, AvailabilityZone, VpcEndpointAssociationArn,
  VpcEndpointId) work like a scanning backend: a page is the next MaxResults
  operations *before* filtering, so a filtered page may hold fewer items, or
  none, and still carry a NextToken.
* NextToken: standard base64 (with ``+``/``/``/``=`` possible) of
  ``"<offset>|<fingerprint of firewall+filters>"``; a token from another
  listing or a garbled one -> InvalidRequestException. Without MaxResults a
  page holds 16 operations.
* MaxResults must be 1..100 -> else InvalidRequestException.
* Unknown firewall -> ResourceNotFoundException. Errors carry
  ``{"__type": "com.amazonaws.networkfirewall#Code", "Message": ...}`` and
  an ``x-amzn-ErrorType`` header.
"""

import base64
import hashlib
import json
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TARGET = "NetworkFirewall_20201112.ListFlowOperations"
CONTENT_TYPE = "application/x-amz-json-1.0"
DEFAULT_PAGE = 16
ACCOUNT = "arn:aws:network-firewall:us-east-1:111122223333"
MAIN_ARN = ACCOUNT + ":firewall/interop-main"
SMALL_ARN = ACCOUNT + ":firewall/interop-small"
EMPTY_ARN = ACCOUNT + ":firewall/interop-empty"

# The odd id: Latin-1 and CJK text, an emoji (a surrogate pair in \u escapes),
# a double quote, a backslash, a tab and a control character.
ODD_ID = 'fo-Zürich-東京-\U0001F525-"q"\\b\t\x07-end'

# Timestamps are the exact JSON text put on the wire.
TIMESTAMPS = [
    "1733337353.759", "1733330000", "1733320000.5", "1733310000.750",
    "1733300000.0", "1733290000.123456", "1733280000.123456789", "1733270000",
    "1733260000.1", "1733250000.99", "1733240000.001", "1733230000",
]
TYPES = ["FLOW_FLUSH", "FLOW_CAPTURE", "FLOW_FLUSH", "FLOW_FLUSH", "FLOW_CAPTURE"]
STATUSES = ["COMPLETED", "IN_PROGRESS", "FAILED", "COMPLETED_WITH_ERRORS", "COMPLETED", "COMPLETED"]
AZS = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1-bos-1a"]


def _make_ops(prefix, count, seed):
    ops = []
    for i in range(count):
        h = hashlib.sha256(f"{prefix}/{seed}/{i}".encode()).hexdigest()
        op = {
            "FlowOperationId": f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}",
            "FlowOperationType": TYPES[(i + seed) % len(TYPES)],
            "FlowOperationStatus": STATUSES[(i * 7 + seed) % len(STATUSES)],
            "FlowRequestTimestamp": TIMESTAMPS[(i + seed) % len(TIMESTAMPS)],
            "AvailabilityZone": AZS[i % len(AZS)],
            "VpcEndpointId": f"vpce-0{h[32:48]}" if i % 6 == 5 else f"vpce-0aaaabbbbcccc000{i % len(AZS)}",
            "VpcEndpointAssociationArn": (f"{ACCOUNT}:vpc-endpoint-association/interop-{i % 2}" if i % 4 == 3 else None),
        }
        ops.append(op)
    return ops


def _dataset():
    main = _make_ops("main", 40, 0)
    # Irregular members: one without a status, one with an unknown status
    # value, one with an unknown type value.
    main[9].pop("FlowOperationStatus")
    main[17]["FlowOperationStatus"] = "CANCELLED"
    main[23]["FlowOperationType"] = "FLOW_MIRROR"
    main.insert(
        21,
        {
            "FlowOperationId": ODD_ID,
            "FlowOperationType": "FLOW_CAPTURE",
            "FlowOperationStatus": "COMPLETED",
            "FlowRequestTimestamp": "1733225000.25",
            "AvailabilityZone": "eu-south-2ñ",
            "VpcEndpointId": "vpce-0ddddeeeeffff0000",
            "VpcEndpointAssociationArn": None,
        },
    )
    return {MAIN_ARN: main, SMALL_ARN: _make_ops("small", 5, 3), EMPTY_ARN: []}


DATASET = _dataset()
FILTERS = ("FlowOperationType", "AvailabilityZone", "VpcEndpointAssociationArn", "VpcEndpointId")


def _render_op(op):
    """One FlowOperationMetadata, members in a non-model order, raw timestamp text."""
    parts = []
    if "FlowOperationStatus" in op:
        parts.append('"FlowOperationStatus":' + json.dumps(op["FlowOperationStatus"]))
    parts.append('"FlowRequestTimestamp":' + op["FlowRequestTimestamp"])
    parts.append('"FlowOperationId":' + json.dumps(op["FlowOperationId"]))
    parts.append('"FlowOperationType":' + json.dumps(op["FlowOperationType"]))
    # A member the model does not know (yet): clients must ignore it.
    parts.append('"FlowOperationZone":' + json.dumps(op["AvailabilityZone"]))
    return "{" + ",".join(parts) + "}"


def _fingerprint(req):
    key = json.dumps([req.get("FirewallArn")] + [req.get(f) for f in FILTERS])
    return hashlib.sha256(key.encode()).hexdigest()[:12]


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def list_flow_operations(req):
    if not isinstance(req, dict):
        raise ApiError(400, "SerializationException", "Request body must be a JSON object")
    arn = req.get("FirewallArn")
    if not isinstance(arn, str) or not arn:
        raise ApiError(400, "InvalidRequestException", "FirewallArn is required")
    for name in FILTERS + ("NextToken",):
        if name in req and not isinstance(req[name], str):
            raise ApiError(400, "SerializationException", f"{name} must be a string")
    size = req.get("MaxResults", DEFAULT_PAGE)
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 100:
        raise ApiError(400, "InvalidRequestException", "MaxResults must be between 1 and 100")
    if arn not in DATASET:
        raise ApiError(400, "ResourceNotFoundException", f"Firewall {arn} not found")
    ops = DATASET[arn]
    offset = 0
    if req.get("NextToken"):
        try:
            text = base64.b64decode(req["NextToken"], validate=True).decode("ascii")
            ofs, fp = text.split("|")
            offset = int(ofs)
            if fp != _fingerprint(req) or not 0 < offset < len(ops):
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, "InvalidRequestException", "Invalid NextToken") from None
    window = ops[offset : offset + size]
    items = [op for op in window if all(req.get(f) in (None, op.get(f)) for f in FILTERS)]
    body = '{"FlowOperations":[' + ",".join(_render_op(op) for op in items) + "]"
    end = offset + len(window)
    if end < len(ops):
        token = base64.b64encode(f"{end}|{_fingerprint(req)}".encode()).decode("ascii")
        body += ',"NextToken":' + json.dumps(token)
    return body + "}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "interop-independent/1"

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, body, error_code=None):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error_code:
            self.send_header("x-amzn-ErrorType", error_code)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, e):
        body = json.dumps({"__type": "com.amazonaws.networkfirewall#" + e.code, "Message": e.message})
        self._send(e.status, body, e.code)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            if self.path != "/":
                raise ApiError(404, "UnknownOperationException", "Unknown path")
            if self.headers.get("X-Amz-Target") != TARGET:
                raise ApiError(400, "UnknownOperationException", "Unknown operation")
            if not self.headers.get("Authorization"):
                raise ApiError(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
            try:
                req = json.loads(raw.decode("utf-8") or "{}")
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise ApiError(400, "SerializationException", "Malformed JSON") from None
            self._send(200, list_flow_operations(req))
        except ApiError as e:
            self._error(e)

    def do_GET(self):
        self._error(ApiError(404, "UnknownOperationException", "Unknown operation"))


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    for arn in DATASET:
        print(f"firewall: {arn}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
