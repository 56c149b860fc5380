#!/usr/bin/env python3
"""Every botocore paginator, expressed by `#[derive(Paginated)]`, with vectors.

Usage:
  python3 tests/botocore/generate.py --out DIR [--sample] [--seed N] [--chains K] [--chunks C]

For every service of the installed botocore (newest API version) and every
paginator in its ``paginators-1.json``, this writes into DIR:

* ``gen/``: a cargo workspace of generated Rust: ``chunk_NN`` crates, each a
  module per paginator holding a request and a response struct (plus nested
  structs for nested paths and computed tokens) using the derive, and a
  ``dispatch(service, operation, vector)`` function; ``runner`` calls the
  chunks through the hand-written harness in ``tests/botocore/src/lib.rs``.
* ``vectors/``: runs of ``botocore.paginate.Paginator`` (called, not copied)
  against a generic scripted service built from the paginator config and the
  service model, in the format of tests/conformance/README.md plus
  ``service``. Chains of runs resume from the previous run's resume token.
* ``manifest.json``: every paginator, whether it was expressed, and why not.

--sample restricts everything to a fixed, deterministic set of paginators
(SAMPLE_SIZE, including every nested/computed one).
"""

import argparse
import base64
import copy
import hashlib
import json
import keyword
import os
import random
import re
import shutil
import sys

import botocore
from botocore.exceptions import PaginationError
from botocore.loaders import Loader
from botocore.model import ServiceModel
from botocore.paginate import Paginator

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE_SIZE = 60
MAX_STEPS = 6

RUST_KEYWORDS = set(
    """as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref
    return self Self static struct super trait true type unsafe use where while async await dyn abstract become box
    do final macro override priv typeof unsized virtual yield try gen union other""".split()
)
UNRAWABLE = {"self", "Self", "super", "crate", "other"}

# --------------------------------------------------------------------------
# Reading botocore
# --------------------------------------------------------------------------


def lst(x):
    return list(x) if isinstance(x, list) else [x]


def all_paginators():
    loader = Loader()
    out = []
    for service in sorted(loader.list_available_services("service-2")):
        try:
            pag = loader.load_service_model(service, "paginators-1")
        except Exception:
            continue
        model = loader.load_service_model(service, "service-2")
        for op, cfg in pag.get("pagination", {}).items():
            out.append((service, op, dict(cfg), model))
    return out


def parse_expr(text):
    """`A.B[-1].C || D` -> list of alternatives, each a list of (name, index-or-None)."""
    alts = []
    for alt in text.split("||"):
        segs = []
        for seg in alt.strip().split("."):
            m = re.fullmatch(r"([A-Za-z0-9_]+)((?:\[-?\d+\])*)", seg.strip())
            if not m:
                raise ValueError(f"unsupported path {text!r}")
            idx = [int(i) for i in re.findall(r"\[(-?\d+)\]", m.group(2))]
            if len(idx) > 1:
                raise ValueError(f"unsupported path {text!r}")
            segs.append((m.group(1), idx[0] if idx else None))
        alts.append(segs)
    return alts


def is_plain(text):
    return "." not in text and "[" not in text and "||" not in text


# --------------------------------------------------------------------------
# Rust names
# --------------------------------------------------------------------------


def snake(name):
    s = re.sub(r"[^A-Za-z0-9]", "_", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = re.sub(r"_+", "_", s).strip("_").lower() or "field"
    if s[0].isdigit():
        s = "f_" + s
    return s


class Names:
    """Unique Rust field idents for one struct. Path fields never use r# (the
    derive's path parser takes plain identifiers), they get a `_` suffix."""

    def __init__(self):
        self.used = {"other"}

    def ident(self, wire, in_path=False):
        base = snake(wire)
        if base in RUST_KEYWORDS:
            base = base + "_" if (in_path or base in UNRAWABLE) else "r#" + base
        name, n = base, 2
        while name in self.used:
            name, n = f"{base}_{n}", n + 1
        self.used.add(name)
        return name


def bare(ident):
    return ident[2:] if ident.startswith("r#") else ident


# --------------------------------------------------------------------------
# A paginator, resolved against the service model
# --------------------------------------------------------------------------


class Unsupported(Exception):
    pass


class Spec:
    def __init__(self, service, op, cfg, model):
        self.service, self.op, self.cfg = service, op, cfg
        self.shapes = model["shapes"]
        self.model = model
        o = model["operations"][op]
        self.in_shape = self.shapes[o["input"]["shape"]] if "input" in o else {"type": "structure", "members": {}}
        self.out_shape = self.shapes[o["output"]["shape"]] if "output" in o else {"type": "structure", "members": {}}
        self.input_tokens = lst(cfg["input_token"])
        self.output_tokens = lst(cfg["output_token"])
        self.result_keys = lst(cfg.get("result_key", []))
        self.limit_key = cfg.get("limit_key")
        self.more_results = cfg.get("more_results")
        self.non_aggregate = lst(cfg.get("non_aggregate_keys", []))
        self.nested = any(not is_plain(k) for k in self.output_tokens + self.result_keys + self.non_aggregate + [self.more_results or ""])
        self.expression = any("[" in k or "||" in k for k in self.output_tokens)

    def member_shape(self, shape, name):
        if shape.get("type") != "structure" or name not in shape.get("members", {}):
            raise Unsupported(f"`{name}` is not a member of the model's shape")
        return self.shapes[shape["members"][name]["shape"]]

    def shape_at(self, segs):
        cur = self.out_shape
        for name, idx in segs:
            cur = self.member_shape(cur, name)
            if idx is not None:
                if cur["type"] != "list":
                    raise Unsupported(f"`{name}[{idx}]` indexes a {cur['type']}")
                cur = self.shapes[cur["member"]["shape"]]
        return cur

    def in_type(self, name):
        if name not in self.in_shape.get("members", {}):
            raise Unsupported(f"input `{name}` is not a member of the input shape")
        return self.shapes[self.in_shape["members"][name]["shape"]]["type"]

    def out_type(self, path):
        return self.shape_at(parse_expr(path)[0])["type"]

    def check(self):
        if not self.result_keys:
            raise Unsupported("no result_key")
        if len(self.input_tokens) != len(self.output_tokens):
            raise Unsupported("input and output tokens differ in number")
        for t in self.input_tokens:
            if not is_plain(t):
                raise Unsupported(f"nested input token {t}")
            if self.in_type(t) not in ("string", "integer", "long", "map", "structure"):
                raise Unsupported(f"input token {t} is a {self.in_type(t)}")
        if self.limit_key and self.in_type(self.limit_key) not in ("integer", "long", "string"):
            raise Unsupported(f"limit key is a {self.in_type(self.limit_key)}")
        types = [self.out_type(k) for k in self.result_keys]
        for k, t in zip(self.result_keys, types):
            if t not in ("list", "map", "structure", "string", "integer", "long", "double", "float"):
                raise Unsupported(f"result key `{k}` is a {t}")
        if self.more_results and self.out_type(self.more_results) != "boolean":
            raise Unsupported("more_results is not a boolean")
        for t in self.output_tokens:
            for alt in parse_expr(t):
                if self.shape_at(alt)["type"] not in ("string", "integer", "long", "map", "structure"):
                    raise Unsupported(f"output token {t} is a {self.shape_at(alt)['type']}")
        wires = [k for k in self.result_keys + self.output_tokens + self.non_aggregate + [self.more_results] if k]
        flat = [k for k in wires if is_plain(k)]
        if len(set(flat)) != len(flat):
            raise Unsupported(f"a member takes two roles ({wires}): the derive gives a field one role")


# --------------------------------------------------------------------------
# Rust emission
# --------------------------------------------------------------------------

SKIP = '#[serde(rename = "{w}", skip_serializing_if = "Option::is_none")]'


def rust_leaf(t, role):
    if role == "token":
        return {"string": "Option<String>", "integer": "Option<i64>", "long": "Option<i64>"}.get(
            t, "Option<indexmap::IndexMap<String, serde_json::Value>>"
        )
    if role == "result":
        return {"list": "Option<Vec<serde_json::Value>>", "integer": "Option<i64>", "long": "Option<i64>",
                "string": "Option<String>", "double": "Option<f64>", "float": "Option<f64>",
                "map": "Option<serde_json::Map<String, serde_json::Value>>",
                "structure": "Option<serde_json::Map<String, serde_json::Value>>"}[t]
    if role == "more":
        return "Option<bool>"
    return {"string": "Option<String>", "integer": "Option<i64>", "long": "Option<i64>", "boolean": "Option<bool>",
            "double": "Option<f64>", "float": "Option<f64>"}.get(t, "Option<serde_json::Value>")


class Node:
    """A response struct (top or nested): wire member -> field info."""

    def __init__(self, spec, shape):
        self.spec, self.shape = spec, shape
        self.fields = {}  # wire -> dict(role, child, items)
        self.names = Names()

    def field(self, wire):
        if wire not in self.fields:
            self.fields[wire] = {"role": None, "child": None, "items": None, "in_path": False}
        return self.fields[wire]

    def walk(self, segs, role):
        """Registers a path; returns the rust path string."""
        (name, idx), rest = segs[0], segs[1:]
        f = self.field(name)
        shape = self.spec.member_shape(self.shape, name)
        if not rest and idx is None:
            f["role"] = f["role"] or role
            return name
        f["in_path"] = True
        if idx is not None:
            item_shape = self.spec.shapes[shape["member"]["shape"]]
            if f["items"] is None:
                f["items"] = Node(self.spec, item_shape)
            sub = f["items"].walk(rest, role)
            return (name, f"[{idx}]", sub)
        if f["child"] is None:
            f["child"] = Node(self.spec, shape)
        return (name, "", f["child"].walk(rest, role))


def emit(spec):
    """Rust source of one paginator's module body."""
    out = []
    counter = [0]
    root = Node(spec, spec.out_shape)
    plain_results = all(is_plain(k) for k in spec.result_keys)
    plain_outputs = all(is_plain(k) for k in spec.output_tokens)
    # Register every path (in order) so fields exist before naming.
    reg = {}
    for k in spec.result_keys:
        reg[("result", k)] = [root.walk(a, "result") for a in parse_expr(k)]
    for k in spec.output_tokens:
        reg[("token", k)] = [root.walk(a, "token") for a in parse_expr(k)]
    if spec.more_results:
        reg[("more", spec.more_results)] = [root.walk(parse_expr(spec.more_results)[0], "more")]
    for k in spec.non_aggregate:
        reg[("nonagg", k)] = [root.walk(parse_expr(k)[0], "nonagg")]

    # Request.
    req_names = Names()
    in_idents = {}
    out.append("#[derive(Debug, Clone, Default, Serialize, Deserialize, Paginated)]")
    out.append("#[paginated(response = Response)]")
    out.append("pub struct Request {")
    for t in spec.input_tokens:
        ident = req_names.ident(t, in_path=True)
        in_idents[t] = ident
        out.append("    #[paginated(input_token)]")
        out.append("    " + SKIP.format(w=t))
        out.append(f"    pub {ident}: {rust_leaf(spec.in_type(t), 'token')},")
    if spec.limit_key:
        ident = req_names.ident(spec.limit_key)
        t = spec.in_type(spec.limit_key)
        out.append("    #[paginated(limit_key)]")
        out.append("    " + SKIP.format(w=spec.limit_key))
        out.append(f"    pub {ident}: {'Option<String>' if t == 'string' else 'Option<i64>'},")
    out.append("    #[serde(flatten)]\n    pub other: serde_json::Map<String, serde_json::Value>,\n}\n")

    # Structs, depth first; idents assigned on the way.
    def struct(node, name, attrs):
        # Assign idents first so paths can be rendered.
        for wire, f in node.fields.items():
            f["ident"] = node.names.ident(wire, in_path=f["in_path"] or f["role"] is not None)
        bodies = []
        lines = ["#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Paginated)]"]
        lines += attrs
        lines.append(f"pub struct {name} {{")
        for wire, f in node.fields.items():
            if f["child"] is not None:
                counter[0] += 1
                cname = f"Nested{counter[0]}"
                bodies.append((f["child"], cname))
                ty = f"Option<{cname}>"
            elif f["items"] is not None:
                counter[0] += 1
                cname = f"Item{counter[0]}"
                bodies.append((f["items"], cname))
                ty = f"Option<Vec<{cname}>>"
            else:
                t = spec.member_shape(node.shape, wire)["type"]
                ty = rust_leaf(t, f["role"] or "nonagg")
            f["ty"] = ty
            if node is root and f["role"] and f["child"] is None:
                role = f["role"]
                if role == "result" and plain_results:
                    lines.append("    #[paginated(result_key)]")
                elif role == "token" and plain_outputs:
                    feeds = in_idents[spec.input_tokens[spec.output_tokens.index(wire)]]
                    lines.append(f"    #[paginated(output_token = {feeds})]")
                elif role == "more" and is_plain(spec.more_results):
                    lines.append("    #[paginated(more_results)]")
                elif role == "nonagg":
                    lines.append("    #[paginated(non_aggregate)]")
            lines.append("    " + SKIP.format(w=wire))
            lines.append(f"    pub {f['ident']}: {ty},")
        lines.append("    #[serde(flatten)]\n    pub other: serde_json::Map<String, serde_json::Value>,\n}\n")
        out.extend(lines)
        for child, cname in bodies:
            struct(child, cname, ["#[paginated(nested)]"])

    def render(node, p):
        if isinstance(p, str):
            return node.fields[p]["ident"]
        name, idx, rest = p
        f = node.fields[name]
        sub = f["child"] if f["child"] is not None else f["items"]
        return f"{f['ident']}{idx}.{render(sub, rest)}"

    # The struct-level roles need idents: assign root idents in a dry pass.
    for wire, f in root.fields.items():
        pass
    # Emit root after computing its attrs; idents are assigned inside struct(), so
    # render lazily via a placeholder pass.
    placeholder = []

    def root_attrs():
        attrs = []
        if not plain_results:
            for i, k in enumerate(spec.result_keys):
                p = render(root, reg[("result", k)][0])
                attrs.append(f'    result_key(path = "{p}"{", primary" if i == 0 else ""}),')
        if not plain_outputs:
            for i, k in enumerate(spec.output_tokens):
                p = " || ".join(render(root, a) for a in reg[("token", k)])
                feeds = bare(in_idents[spec.input_tokens[i]])
                attrs.append(f'    output_token(path = "{p}", feeds = {feeds}),')
        if spec.more_results and not is_plain(spec.more_results):
            attrs.append(f'    more_results(path = "{render(root, reg[("more", spec.more_results)][0])}"),')
        for k in spec.non_aggregate:
            if not is_plain(k) or root.fields[k]["child"] is not None:
                attrs.append(f'    non_aggregate(path = "{render(root, reg[("nonagg", k)][0])}"),')
        return ["#[paginated(", *attrs, ")]"] if attrs else []

    # Assign all idents first (recursively), then emit.
    def assign(node):
        for wire, f in node.fields.items():
            f["ident"] = node.names.ident(wire, in_path=f["in_path"] or f["role"] is not None)
            for sub in (f["child"], f["items"]):
                if sub is not None:
                    assign(sub)

    assign(root)
    attrs = root_attrs()
    # Reset names: struct() assigns again, deterministically the same.
    def reset(node):
        node.names = Names()
        for f in node.fields.values():
            for sub in (f["child"], f["items"]):
                if sub is not None:
                    reset(sub)

    reset(root)
    struct(root, "Response", attrs)
    return "\n".join(out)


# --------------------------------------------------------------------------
# The generic scripted service
# --------------------------------------------------------------------------


def hexid(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def opaque(salt, p):
    digest = hashlib.sha256(f"{salt}:{p}".encode()).digest()
    return "AAE" + base64.b64encode(digest[:24]).decode().rstrip("=")


TEXTS = ["plain", "näme", 'q"uote', "emoji-😀", "back\\slash", "sp ace", "ctl\u0001"]


class GenericService:
    """Answers a request from the request alone: position comes from the first
    input token (an opaque string, an integer, a map, or the last item's id
    for computed tokens)."""

    def __init__(self, spec, rng, quirk):
        self.spec, self.quirk = spec, quirk
        self.salt = hexid(rng, 12)
        n = rng.choice([0, 1, 2, 3, rng.randint(0, 10), rng.randint(0, 25), rng.randint(0, 40)])
        self.n = n
        # Computed tokens name an item field (Shards[-1].ShardId): the items carry it.
        self.id_field = "Id"
        self.expr = None
        for t in spec.output_tokens:
            for alt in parse_expr(t):
                if any(idx is not None for _, idx in alt):
                    self.expr = alt
                    self.id_field = alt[-1][0]
        self.items = []
        for i in range(n):
            item = {self.id_field: f"{rng.choice(TEXTS)}-{i:03d}-{self.salt[:4]}"}
            if rng.random() < 0.5:
                item["Extra"] = {"Size": rng.randint(0, 10**6), "Tags": [hexid(rng, 3)]}
            self.items.append(item)
        self.tok_type = spec.in_type(spec.input_tokens[0])
        self.tokens = {}
        for p in range(n + 1):
            if self.tok_type in ("integer", "long"):
                self.tokens[p] = p * 3 + 1
            elif self.tok_type in ("map", "structure"):
                # Key order not sorted, and kept by the service.
                self.tokens[p] = {"pk": {"S": self.items[p - 1][self.id_field] if p else "start"}, "ak": {"N": str(p)}}
            else:
                self.tokens[p] = opaque(self.salt, p)
        self.positions = {json.dumps(v, sort_keys=False): p for p, v in self.tokens.items()}
        self.default_limit = rng.choice([1, 2, 3, 5, 1000])
        self.unmodeled = rng.random() < 0.5
        self.nonagg = {}
        for k in spec.non_aggregate:
            t = spec.out_type(k)
            self.nonagg[k] = {
                "string": f"na-{rng.choice(TEXTS)}", "integer": rng.randint(0, 99), "long": rng.randint(0, 10**12),
                "boolean": rng.random() < 0.5, "double": rng.randint(0, 800) / 8, "float": rng.randint(0, 80) / 4,
                "timestamp": "2024-02-29T12:34:56Z", "list": [{"V": hexid(rng, 4)}], "map": {"zk": "1", "ak": "2"},
                "structure": {"Name": hexid(rng, 4), "Count": 3},
            }.get(t, "x")
        self.stuck_at = rng.randint(1, 4) if quirk == "duplicate" else None
        self.input_members = {}
        for name in self.spec.in_shape.get("required", []):
            t = self.spec.shapes[self.spec.in_shape["members"][name]["shape"]]["type"]
            if name in spec.input_tokens or name == spec.limit_key:
                continue
            if t == "string":
                self.input_members[name] = f"req-{hexid(rng, 6)}"
            elif t in ("integer", "long"):
                self.input_members[name] = rng.randint(1, 50)
            elif t == "boolean":
                self.input_members[name] = True

    def input(self):
        return copy.deepcopy(self.input_members)

    def start_token(self, rng):
        """A raw service token (not a botocore one) as StartingToken."""
        if self.n < 2 or self.tok_type != "string" or len(self.spec.input_tokens) != 1:
            return None
        p = rng.randint(1, self.n - 1)
        if self.expr is not None:
            return self.items[p - 1][self.id_field]
        return self.tokens[p]

    def _start(self, req):
        tok = req.get(self.spec.input_tokens[0])
        if tok is None:
            return 0
        if self.expr is not None:
            for i, item in enumerate(self.items):
                if item[self.id_field] == tok:
                    return i + 1
            return 0
        return self.positions.get(json.dumps(tok, sort_keys=False), 0)

    def __call__(self, **req):
        start = self._start(req)
        limit = req.get(self.spec.limit_key) if self.spec.limit_key else None
        limit = int(limit) if limit is not None else self.default_limit
        chunk = self.items[start : start + limit]
        end = start + len(chunk)
        more = end < self.n
        resp = {}

        def put(path, value):
            cur = resp
            segs = parse_expr(path)[0]
            for name, _ in segs[:-1]:
                cur = cur.setdefault(name, {})
            cur[segs[-1][0]] = value

        # Non-aggregate keys first: one may be the parent of a result key
        # (devops-guru GetResourceCollection), which then goes inside it.
        for k, v in self.nonagg.items():
            put(k, copy.deepcopy(v))
        for i, k in enumerate(self.spec.result_keys):
            t = self.spec.out_type(k)
            if i == 0:
                if chunk or self.quirk != "omit_empty":
                    if t in ("map", "structure"):
                        # Keyed by id, in an order that is not sorted.
                        put(k, {item[self.id_field]: copy.deepcopy(item) for item in reversed(chunk)})
                    elif t == "string":
                        # A log portion: botocore counts and cuts its characters.
                        put(k, "".join(f"{item[self.id_field]}\n" for item in chunk))
                    else:
                        put(k, copy.deepcopy(chunk))
            elif t in ("map", "structure"):
                if chunk:
                    put(k, {f"period-{item[self.id_field]}": {"Count": i} for item in chunk[:2]})
            elif t == "list":
                put(k, [{"Secondary": f"{item[self.id_field]}/{i}"} for item in chunk[: (len(chunk) + 1) // 2]])
            elif t in ("integer", "long"):
                put(k, len(chunk) * i)
            elif t in ("double", "float"):
                put(k, len(chunk) * 0.5)
            elif t == "string":
                put(k, f"s{len(chunk)}")
        if self.spec.more_results:
            put(self.spec.more_results, more)
        stuck = self.stuck_at is not None and start >= self.stuck_at and more
        for i, t in enumerate(self.spec.output_tokens):
            alts = parse_expr(t)
            if any(idx is not None for alt in alts for _, idx in alt):
                # Computed: `X || A[-1].B` sets X only under the `explicit` quirk.
                if len(alts) > 1 and self.quirk == "explicit" and more and chunk:
                    put(".".join(n for n, _ in alts[0]), chunk[-1][self.id_field])
                continue
            if i == 0:
                if more:
                    put(t, copy.deepcopy(self.tokens[self._start(req) if stuck else end]))
                elif self.quirk == "empty_string_end" and self.tok_type == "string":
                    put(t, "")
                elif self.quirk == "more_false_with_token" and self.spec.more_results:
                    put(t, copy.deepcopy(self.tokens[end]))
            elif more or (self.quirk == "more_false_with_token" and self.spec.more_results):
                ty = self.spec.out_type(t)
                if (end % 3) != 0:
                    v = {"string": f"sub-{end}", "integer": end, "long": end}.get(ty, {"k": end})
                    put(t, v)
        if self.unmodeled:
            resp["UnmodeledMember"] = {"b": 1, "a": [1, 2]}
        return resp


def quirks_of(spec):
    q = ["none", "none", "omit_empty"]
    if spec.tok_is_string and not spec.expression:
        q += ["empty_string_end", "duplicate"]
    if spec.more_results:
        q.append("more_false_with_token")
    if spec.expression and len(parse_expr(spec.output_tokens[0])) > 1:
        q.append("explicit")
    return q


DEVIATION_WHOLE = (
    "a map or structure primary result key is kept on the first page of a resumed listing "
    "(botocore sets it to None, losing that page's entries)"
)


def whole_primary(spec):
    return spec.out_type(spec.result_keys[0]) in ("map", "structure")


class KeepWholeFirstPage:
    """botocore's PageIterator with one documented change (README: where we
    differ): `_handle_first_request` keeps a map primary result key instead of
    setting it to None. Everything else is botocore's own code."""

    def __enter__(self):
        from botocore.paginate import PageIterator
        from botocore.utils import set_value_from_jmespath

        self.cls, self.original = PageIterator, PageIterator._handle_first_request
        original = self.original

        def handle(it, parsed, primary_result_key, starting_truncation):
            data = primary_result_key.search(parsed)
            result = original(it, parsed, primary_result_key, starting_truncation)
            if isinstance(data, dict):
                if it._parse_starting_token()[1]:
                    raise TypeError("a map cannot be sliced")
                set_value_from_jmespath(parsed, primary_result_key.expression, data)
            return result

        PageIterator._handle_first_request = handle
        return self

    def __exit__(self, *exc):
        self.cls._handle_first_request = self.original
        return False


def paginate(spec, opmodel, service, config, record=None):
    def method(**kwargs):
        response = service(**copy.deepcopy(kwargs))
        if record is not None:
            record.append({"request": copy.deepcopy(kwargs), "response": copy.deepcopy(response)})
        return response

    return Paginator(method, spec.cfg, opmodel).paginate(**service.input(), PaginationConfig=dict(config))


def run(spec, opmodel, service, config):
    exchange, pages, error = [], [], None
    it = paginate(spec, opmodel, service, config, exchange)
    try:
        for page in it:
            pages.append(copy.deepcopy(page))
    except PaginationError as e:
        error = str(e)
    except TypeError as e:
        # A map primary result key that MaxItems would cut: botocore slices it.
        error = f"TypeError: {e}"
    resume = it.resume_token
    try:
        full = copy.deepcopy(paginate(spec, opmodel, service, config).build_full_result())
    except (PaginationError, TypeError):
        full = None
    return exchange, pages, resume, full, error


def record(spec, opmodel, seed, chains, outdir):
    rng = random.Random(f"{seed}:{spec.service}:{spec.op}")
    written = 0
    for chain in range(chains):
        quirk = rng.choice(quirks_of(spec))
        service = GenericService(spec, rng, quirk)
        config = {}
        if rng.random() < 0.7:
            config["MaxItems"] = rng.choice([0, 1, 1, 2, 3, 4, 5, 7, 10, rng.randint(1, 25)])
        if spec.limit_key and rng.random() < 0.8:
            config["PageSize"] = rng.randint(1, 6)
        start = service.start_token(rng) if rng.random() < 0.15 else None
        seen = set()
        for step in range(MAX_STEPS):
            cfg = dict(config)
            if start is not None:
                cfg["StartingToken"] = start
            deviation = None
            if whole_primary(spec) and start is not None:
                deviation = DEVIATION_WHOLE
                with KeepWholeFirstPage():
                    exchange, pages, resume, full, error = run(spec, opmodel, service, cfg)
            else:
                exchange, pages, resume, full, error = run(spec, opmodel, service, cfg)
            name = f"{spec.service}.{spec.op}.{seed}-{chain:02d}-step{step}"
            vector = {
                "name": name,
                "service": spec.service,
                "operation": spec.op,
                "paginator": spec.cfg,
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
            if deviation:
                vector["deviation"] = deviation
            with open(os.path.join(outdir, name + ".json"), "w", encoding="utf-8") as f:
                json.dump(vector, f, indent=1, ensure_ascii=False, default=str)
                f.write("\n")
            written += 1
            if error is not None or resume is None or resume in seen:
                break
            seen.add(resume)
            start = resume
    return written


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def primary_type(spec):
    try:
        return spec.out_type(spec.result_keys[0]) if spec.result_keys else None
    except (Unsupported, ValueError, KeyError):
        return None


def sample_of(specs):
    """Every nested/computed paginator, plus a fixed spread of the rest."""
    special = [s for s in specs if s.nested or s.expression]
    rest = [s for s in specs if not (s.nested or s.expression)]
    rng = random.Random("botocore-sample-v1")
    # Always include a few shapes worth having: multi tokens, map/int tokens, string limits.
    keep = [s for s in rest if len(s.input_tokens) > 1 or s.service in ("dynamodb", "s3")
            or (s.limit_key and s.in_type(s.limit_key) == "string")]
    keep = sorted(keep, key=lambda s: (s.service, s.op))
    picked = keep[:: max(1, len(keep) // 12)][:12]
    # Every primary result key that is not a list (maps, structures, strings).
    picked += [s for s in rest if s not in picked and primary_type(s) not in ("list", None)]
    others = [s for s in rest if s not in picked]
    picked += rng.sample(others, max(0, SAMPLE_SIZE - len(special) - len(picked)))
    chosen = {(s.service, s.op) for s in special + picked}
    return [s for s in specs if (s.service, s.op) in chosen]


def runner_name(gendir):
    """One runner name per output directory: runners of two directories sharing
    a target directory must not overwrite each other's binary."""
    tag = re.sub(r"[^a-z0-9]+", "-", os.path.basename(os.path.dirname(os.path.abspath(gendir))).lower()).strip("-")
    return f"botocore-runner-{tag or 'out'}"


def write_workspace(gendir, chunks, harness):
    if os.path.exists(gendir):
        shutil.rmtree(gendir)
    os.makedirs(gendir)
    members = []
    for ci, mods in enumerate(chunks):
        # Names unique per output directory: cargo would take two workspaces'
        # `chunk_00` sharing a target directory for one.
        cname = f"chunk_{runner_name(gendir).split('-')[-1]}_{ci:02d}"
        members.append(cname)
        os.makedirs(os.path.join(gendir, cname, "src"))
        with open(os.path.join(gendir, cname, "Cargo.toml"), "w") as f:
            f.write(
                f'[package]\nname = "{cname}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
                f'[dependencies]\npaginate-botocore = {{ path = "{harness}" }}\n'
                'paginate = { path = "%s" }\nserde = { version = "1", features = ["derive"] }\n'
                'serde_json = "1"\nindexmap = { version = "2", features = ["serde"] }\n' % os.path.abspath(os.path.join(harness, "../.."))
            )
        src = ["#![allow(clippy::all, non_snake_case, unused)]", "use paginate_botocore::Vector;", ""]
        arms = []
        for mi, (spec, body) in enumerate(mods):
            m = f"p{mi:04d}"
            src.append(f"/// {spec.service} {spec.op}\npub mod {m} {{\nuse paginate::Paginated;\nuse serde::{{Deserialize, Serialize}};\n{body}\n}}\n")
            arms.append(f'        ("{spec.service}", "{spec.op}") => Some(paginate_botocore::replay::<{m}::Request>(vector)),')
        src.append("pub fn dispatch(service: &str, operation: &str, vector: &Vector) -> Option<Result<(), String>> {")
        src.append("    match (service, operation) {")
        src += arms
        src.append("        _ => None,\n    }\n}\n")
        with open(os.path.join(gendir, cname, "src", "lib.rs"), "w") as f:
            f.write("\n".join(src))
    os.makedirs(os.path.join(gendir, "runner", "src"))
    deps = "".join(f'{c} = {{ path = "../{c}" }}\n' for c in members)
    with open(os.path.join(gendir, "runner", "Cargo.toml"), "w") as f:
        f.write(
            f'[package]\nname = "{runner_name(gendir)}"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n'
            f'[dependencies]\npaginate-botocore = {{ path = "{harness}" }}\n{deps}'
        )
    with open(os.path.join(gendir, "runner", "src", "main.rs"), "w") as f:
        f.write(
            "fn main() {\n    paginate_botocore::main(&[%s]);\n}\n" % ", ".join(f"{c}::dispatch" for c in members)
        )
    with open(os.path.join(gendir, "Cargo.toml"), "w") as f:
        f.write(
            "[workspace]\nresolver = \"2\"\nmembers = [%s]\n\n[profile.dev]\ndebug = 0\nincremental = false\n"
            % ", ".join(f'"{m}"' for m in members + ["runner"])
        )
    lock = os.path.join(harness, "../../Cargo.lock")
    if os.path.exists(lock):
        shutil.copy(lock, os.path.join(gendir, "Cargo.lock"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--sample", action="store_true")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--chains", type=int, default=3)
    ap.add_argument("--chunks", type=int, default=0, help="chunk crates (default: 2 sample, 24 full)")
    ap.add_argument("--only", default="", help="service:Operation,... (debugging)")
    args = ap.parse_args()

    raw = all_paginators()
    specs, manifest = [], []
    for service, op, cfg, model in raw:
        spec = Spec(service, op, cfg, model)
        entry = {"service": service, "operation": op, "nested": spec.nested, "expression": spec.expression}
        try:
            spec.check()
            spec.tok_is_string = spec.in_type(spec.input_tokens[0]) == "string"
            entry["expressed"] = True
        except Unsupported as e:
            entry["expressed"] = False
            entry["reason"] = str(e)
        spec.entry = entry
        specs.append(spec)
        manifest.append(entry)
    total = len(specs)
    chosen = sample_of(specs) if args.sample else specs
    if args.only:
        want = {tuple(x.split(":")) for x in args.only.split(",")}
        chosen = [s for s in specs if (s.service, s.op) in want]
    for e in manifest:
        e["selected"] = False
    for s in chosen:
        s.entry["selected"] = True

    vecdir = os.path.join(args.out, "vectors")
    if os.path.exists(vecdir):
        shutil.rmtree(vecdir)
    os.makedirs(vecdir)
    mods, nvec = [], 0
    models = {}
    for spec in chosen:
        if not spec.entry["expressed"]:
            continue
        try:
            body = emit(spec)
        except (Unsupported, ValueError, KeyError) as e:
            spec.entry["expressed"] = False
            spec.entry["reason"] = f"generator: {e}"
            continue
        sm = models.setdefault(spec.service, ServiceModel(spec.model, service_name=spec.service))
        opmodel = sm.operation_model(spec.op)
        mods.append((spec, body))
        nvec += record(spec, opmodel, args.seed, args.chains, vecdir)
    nchunks = args.chunks or (2 if len(mods) <= 200 else 24)
    nchunks = max(1, min(nchunks, len(mods)))
    chunks = [mods[i::nchunks] for i in range(nchunks)]
    write_workspace(os.path.join(args.out, "gen"), chunks, HERE)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump({"botocore": botocore.__version__, "total": total, "paginators": manifest}, f, indent=1)
    print(
        f"botocore {botocore.__version__}: {total} paginators, {len(chosen)} selected, {len(mods)} expressed, "
        f"{nvec} vectors, {nchunks} chunks -> {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
