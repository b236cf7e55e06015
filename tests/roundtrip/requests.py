#!/usr/bin/env python3
"""Requests of an OpenAPI spec's operations: instances of their parameters and bodies made by a
third-party generator (hypothesis-jsonschema), and what the generated client sent for each, checked
by a third-party request validator (openapi-core).

Used by `cargo xtask roundtrip`, in two steps around the Rust driver that sends the requests:

    requests.py make  --spec SPEC.json --ops OPS.json --out CASES.jsonl --summary SUMMARY.json
                      [--seed N] [--examples N] [--op-budget SECONDS] [--budget SECONDS]
                      [--depth N] [--jobs N]
    requests.py check --spec SPEC.json --ops OPS.json --cases CASES.jsonl --sent SENT.jsonl
                      --out FINDINGS.jsonl
    requests.py selftest    (the check judges known-good and known-bad requests as it must)

OPS.json lists the generated crate's functions: {"pointer", "method", "path", "params": [{"key",
"wire", "location", "required", "schema"}], "body": {"key", "content_type", "media", "required",
"schema"} or null}. `key` is where the value goes in the params value the driver decodes (a body
without a key is the params object itself: its properties are the params' keys).

Each line of CASES.jsonl is {"op": index, "label", "params": {...}}: a params value built from an
instance of every parameter's schema and of the body's schema, as drawn (optional ones present or
not, as hypothesis draws them) and filled (every optional one present). Values the HTTP message cannot carry as the spec's
instance are not made: an empty path segment or one holding `/` (it would name another path),
header or cookie strings outside printable ASCII or with surrounding spaces (HTTP trims them), an
empty query value (OpenAPI refuses one unless
`allowEmptyValue`), an object or list parameter holding objects or lists (no style serializes
one), a list item holding `,`, `|` or a space (styles escape no delimiter), a path segment `.` or
`..` (resolved away), a required list or object parameter that is empty (nothing goes on the
wire), and an empty raw or text body (HTTP cannot tell it from none). A file
(`format: binary`) is made as a string and sent as its UTF-8 bytes. `nullable` is read as OpenAPI
3.0.3 defines it (beside `type` only, and an `enum` must list `null`), as the validator reads it. A
body that is a selector (a `oneOf`/`anyOf` of `required` sets: "this id, or those two") names one
set: properties of the other sets are left out, as the crate's selector is a choice of one.

`check` reads what arrived for each case (SENT.jsonl: the driver's answers, in order), validates
method, path, query string, headers, cookies and body (JSON, form, multipart, text, raw) with
openapi-core's parameter and body validators against the spec, and checks that the request carries
the value it was built from (`lost`); each line of FINDINGS.jsonl is {"case": index, "op": index,
"ok": bool, "what": message}.
"""

import argparse
import json
import os
import signal
import sys
import time
import warnings
from collections.abc import Mapping

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import instances  # noqa: E402  (the schema conversion, shared with the schemas' check)
from instances import (  # noqa: E402
    CUSTOM_FORMATS, Converter, RootTimeout, collect, exact, filled, pointer_get, unicode_text)

import jsonschema  # noqa: E402
from hypothesis.errors import Flaky, HypothesisWarning  # noqa: E402
from hypothesis_jsonschema import from_schema  # noqa: E402

warnings.simplefilter("ignore", HypothesisWarning)
warnings.filterwarnings("ignore", message="Got pattern=", category=UserWarning)


def carried(op, value):
    """Whether the HTTP message can carry the params value as it is (see the module's docs)."""
    for p in op["params"]:
        v = value.get(p["key"])
        if v is None:
            continue
        if p["location"] == "path":
            # `.` and `..` are resolved away by URL parsers (another path).
            if isinstance(v, str) and (v in ("", ".", "..") or "/" in v):
                return False
            if isinstance(v, list) and any(isinstance(x, str) and "/" in x for x in v):
                return False
        if p["location"] in ("header", "cookie") and not printable(v):
            return False
        # HTTP trims a header value's surrounding whitespace.
        if p["location"] in ("header", "cookie") and isinstance(v, str) and v != v.strip():
            return False
        if p["location"] == "query" and (v == "" or (isinstance(v, list) and "" in v)):
            return False
        # A required list or object with nothing in it puts nothing on the wire.
        if p["required"] and v in ([], {}):
            return False
        # OpenAPI's styles serialize an object parameter of scalars only.
        if isinstance(v, dict) and any(isinstance(x, (dict, list)) for x in v.values()):
            return False
        if isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v):
            return False
        # An item holding a style's delimiter reads as two items (OpenAPI's styles escape none).
        if isinstance(v, list) and any(isinstance(x, str) and any(d in x for d in ",| ") for x in v):
            return False
    body = op.get("body")
    if body is not None and body["media"] in ("bytes", "text") and body["key"] is not None:
        if value.get(body["key"]) in ("", []):
            return False
    return True


def printable(value):
    """Whether every string of the value is printable ASCII without `;` or `,` (which delimit
    cookies and header lists)."""
    if isinstance(value, str):
        return all(" " <= c <= "~" for c in value) and ";" not in value and "," not in value
    if isinstance(value, list):
        return all(printable(x) for x in value)
    if isinstance(value, dict):
        return all(printable(k) and printable(v) for k, v in value.items())
    return True


def resolve(spec, schema, depth=0):
    """The schema a `$ref` names (followed a few times), else the schema."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and depth < 20:
        try:
            schema = pointer_get(spec, schema["$ref"])
        except (KeyError, IndexError, ValueError):
            return {}
        depth += 1
    return schema


def binary_keys(spec, op):
    """The properties of a form or multipart body that are files (`format: binary`, or a list of
    them), as (params key or None, property), and a raw body as (None, its params key): the crate
    holds their bytes (its params value reads them from text); an instance's string is sent as its
    UTF-8 bytes."""
    body = op.get("body")
    if body is not None and body["media"] == "bytes" and body["key"] is not None:
        return [(None, body["key"])]
    if body is None or body["media"] not in ("form", "multipart"):
        return []
    out = []
    schema = resolve(spec, pointer_get(spec, body["schema"]))
    members = [schema] + [resolve(spec, m) for m in schema.get("allOf", [])] if isinstance(schema, dict) else []
    for member in members:
        for name, prop in (member.get("properties") or {}).items() if isinstance(member, dict) else []:
            prop = resolve(spec, prop)
            if isinstance(prop, dict) and prop.get("type") == "array":
                prop = resolve(spec, prop.get("items"))
            if isinstance(prop, dict) and prop.get("format") == "binary":
                out.append((body["key"], name))
    return out


def one_set(spec, op, value):
    """The params value with a selector body naming one set (see the module's docs): the first
    set it holds keeps its properties, the other sets' properties that are not in it go."""
    body = op.get("body")
    if body is None or body["media"] != "json":
        return value
    schema = resolve(spec, pointer_get(spec, body["schema"]))
    holder = value if body["key"] is None else value.get(body["key"])
    if not isinstance(schema, dict) or not isinstance(holder, dict):
        return value
    for key in ("oneOf", "anyOf"):
        alts = [resolve(spec, a) for a in schema.get(key) or []]
        sets = [a.get("required") for a in alts if isinstance(a, dict)]
        pure = all(isinstance(a, dict) and set(a) <= {"required", "description", "title"}
                   for a in alts)
        if not alts or not pure or not all(isinstance(x, list) for x in sets):
            continue
        chosen = next((x for x in sets if all(k in holder for k in x)), None)
        if chosen is None:
            continue
        others = {k for x in sets for k in x} - set(chosen)
        for k in others:
            holder.pop(k, None)
    return value


# What `carried` asks of a plain string parameter, made rather than filtered for (a filter that
# refuses most draws runs out of time): printable ASCII without `;` and `,` in headers and cookies.
WIRE_PATTERNS = {"path": "^[^/]+$", "header": "^[ -+\\--:<-~]*$", "cookie": "^[ -+\\--:<-~]*$"}


def wire_safe(schema, location):
    """A parameter's schema as values on the wire can be: never JSON `null` (an optional
    parameter is left out instead), strings that `carried` keeps."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    kinds = out.get("type")
    if isinstance(kinds, list):
        kinds = [k for k in kinds if k != "null"]
        out["type"] = kinds[0] if len(kinds) == 1 else kinds
    if isinstance(out.get("enum"), list):
        out["enum"] = [x for x in out["enum"] if x is not None]
    for key in ("oneOf", "anyOf"):
        if isinstance(out.get(key), list):
            out[key] = [wire_safe(a, location) for a in out[key]
                        if not (isinstance(a, dict) and a.get("type") == "null")]
    if isinstance(out.get("allOf"), list):
        out["allOf"] = [wire_safe(a, location) for a in out["allOf"]]
    if out.get("type") == "string" and not ({"pattern", "enum", "const", "format"} & set(out)):
        if location in WIRE_PATTERNS:
            out["pattern"] = WIRE_PATTERNS[location]
        if location in ("path", "query"):
            out["minLength"] = max(1, out.get("minLength", 0))
    if out.get("type") == "array" and isinstance(out.get("items"), dict):
        out["items"] = wire_safe(out["items"], location)
    if out.get("type") == "object":
        # An object parameter carries scalars (see `carried`): other keys are strings, none at
        # all beside declared properties (the params type has no place for them).
        if out.get("additionalProperties", True) in (True, {}):
            out["additionalProperties"] = (False if out.get("properties")
                                           else wire_safe({"type": "string"}, location))
        # A key is a name on the wire: never empty.
        out.setdefault("propertyNames", {"minLength": 1})
        if isinstance(out.get("properties"), dict):
            out["properties"] = {k: wire_safe(v, location) for k, v in out["properties"].items()}
    return out


def params_schema(conv, spec, op):
    """One schema for the params value: the parameters by key, beside the body by its key (or the
    body object itself), as the spec declares them. A path parameter the spec uses in the path
    but never declares (the crate adds it) is any non-empty string."""
    props, required = {}, []
    for p in op["params"]:
        try:
            declared = pointer_get(spec, p["schema"])
        except (KeyError, IndexError, ValueError):
            if p["location"] != "path":
                raise
            declared = {"type": "string", "minLength": 1}
        props[p["key"]] = wire_safe(conv.convert(declared), p["location"])
        if p["required"] and isinstance(props[p["key"]], dict):
            kind = props[p["key"]].get("type")
            if kind == "object":
                props[p["key"]]["minProperties"] = max(1, props[p["key"]].get("minProperties", 0))
            elif kind == "array":
                props[p["key"]]["minItems"] = max(1, props[p["key"]].get("minItems", 0))
        if p["required"]:
            required.append(p["key"])
    body = op.get("body")
    members = []
    if body is not None:
        schema = conv.convert(pointer_get(spec, body["schema"]))
        if body["key"] is None:
            members.append(schema)
        else:
            props[body["key"]] = schema
            if body["required"]:
                required.append(body["key"])
    params = {"type": "object", "properties": props, "required": required}
    if not members:
        # No other keys: the params type would drop them, and making them costs time.
        params["additionalProperties"] = False
        return params
    return {"allOf": members + [params]}


class Job:
    def __init__(self, args):
        with open(args.spec, encoding="utf-8") as f:
            self.spec = json.load(f)
        with open(args.ops, encoding="utf-8") as f:
            self.ops = json.load(f)
        self.args = args
        self.v31 = str(self.spec.get("openapi", "")).startswith("3.1")
        self.conv = Converter(self.spec, self.v31, args.depth, strict_nullable=True)
        self.started = time.monotonic()


JOB = None


def start_worker(args, started):
    global JOB
    JOB = Job(args)
    JOB.started = started
    signal.signal(signal.SIGALRM, instances.on_alarm)


def one_op(index):
    """The cases of one operation: its summary entry and its case lines."""
    job, args = JOB, JOB.args
    op = job.ops[index]
    entry = {"op": index, "pointer": op["pointer"], "cases": 0, "refused": 0, "note": None}
    lines = []
    left = args.budget - (time.monotonic() - job.started)
    if left <= 1:
        entry["note"] = "not reached: the spec's time budget was spent"
        return entry, lines
    try:
        schema = params_schema(job.conv, job.spec, op)
    except (KeyError, IndexError, ValueError, RecursionError) as e:
        entry["note"] = f"cannot read a schema: {type(e).__name__}: {e}"
        return entry, lines
    notes = []
    seen = set()
    try:
        checker = jsonschema.Draft7Validator(schema)
        plans = (("as drawn", schema), ("filled", filled(schema)))
    except Exception as e:  # a schema of a shape these helpers do not read
        entry["note"] = f"cannot read a schema: {type(e).__name__}: {str(e)[:160]}"
        return entry, lines
    deadline = time.monotonic() + min(args.op_budget, left)
    for n, (label, plan) in enumerate(plans):
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            notes.append(f"{label}: time budget spent")
            break
        signal.setitimer(signal.ITIMER_REAL, remaining)
        try:
            strategy = from_schema(plan, custom_formats=CUSTOM_FORMATS).filter(
                lambda v: carried(op, v))
            values = collect(strategy, max(1, args.examples), args.seed * 1_000_003 + index * 101 + n)
        except (RootTimeout, Flaky):
            values = []
            notes.append(f"{label}: time budget spent")
        except Exception as e:  # the generator could not make instances of this plan
            values = []
            notes.append(f"{label}: {type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        for value in values:
            if not isinstance(value, dict) or not unicode_text(value):
                continue
            try:
                value = one_set(job.spec, op, exact(schema, value))
                # Without the keys no schema declares, a value can fit no alternative of a
                # union (or two of a `oneOf`): such a value is not one the crate is asked to send.
                if not checker.is_valid(value):
                    entry["refused"] += 1
                    continue
            except Exception as e:  # e.g. a pattern Python's `re` cannot read
                note = f"a value could not be checked: {type(e).__name__}: {str(e)[:120]}"
                if note not in notes:
                    notes.append(note)
                continue
            key = json.dumps(value, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            lines.append(json.dumps({"op": index, "label": label, "params": value}))
            entry["cases"] += 1
    if notes:
        entry["note"] = "; ".join(notes)
    elif entry["cases"] == 0:
        entry["note"] = "no instance"
    return entry, lines


def make(args):
    with open(args.ops, encoding="utf-8") as f:
        count = len(json.load(f))
    instances.run_tasks(args, range(count), start_worker, one_op)
    return 0


def loopback_spec(spec):
    """The spec as the validator reads it:

    - one server, the loopback address the requests are read as sent to (every `servers` list
      replaced): the validator finds the operation by the path alone;
    - a `deepObject` parameter without `explode` has `explode: true`, the only form OpenAPI
      defines for that style (openapi-core refuses the undefined one; the client sends the
      defined one);
    - a multipart part of an integer, number or boolean property is read as text cast to its
      type (OpenAPI's default, `text/plain`; openapi-core 0.23 leaves such a part a string unless
      an encoding gives it a style, so one is given);
    - no `discriminator` (see `drop_discriminators`);
    - a parameter schema that is a one-alternative `oneOf`/`anyOf`/`allOf` (not counting
      `{type: null}`) is that alternative (openapi-core 0.23 picks the style reader by the
      schema's own `type`);
    - a parameter's 3.1 type list without `null` (a value on the wire is never JSON `null`), as
      openapi-core 0.23 cannot read a type list in a parameter (it raises `TypeError`);
    - a raw body of `type: string` is `format: binary` (3.0) or any value (3.1): its bytes are the
      content; a 3.1 multipart file part (a string with `format: binary` or `contentMediaType`)
      is any value, as openapi-core 0.23's 3.1 validator takes no bytes for a string."""
    spec = json.loads(json.dumps(spec))
    spec["servers"] = [{"url": "http://127.0.0.1/"}]

    def fix_params(params):
        for p in params if isinstance(params, list) else []:
            if isinstance(p, dict) and p.get("style") == "deepObject" and "explode" not in p:
                p["explode"] = True
            schema = resolve(spec, p.get("schema")) if isinstance(p, dict) else None
            # A one-alternative `oneOf` / `anyOf` / `allOf` is its alternative: openapi-core picks
            # a parameter's style reader by the schema's own `type`, and finds none there.
            for _ in range(8):  # a schema that refers to itself ends here
                if not isinstance(schema, dict) or schema.get("type"):
                    break
                keys = [k for k in ("oneOf", "anyOf", "allOf") if isinstance(schema.get(k), list)]
                alts = [[a for a in schema[k] if not (isinstance(a, dict) and a.get("type") == "null")]
                        for k in keys]
                if len(alts) != 1 or len(alts[0]) != 1:
                    break
                inner = resolve(spec, alts[0][0])
                if not isinstance(inner, dict):
                    break
                # The alternative with the schema's other keywords beside it (`maxLength` stays).
                siblings = {k: v for k, v in schema.items() if k != keys[0]}
                schema = json.loads(json.dumps({**inner, **siblings}))
                p["schema"] = schema
            if isinstance(schema, dict) and isinstance(schema.get("type"), list):
                kinds = [t for t in schema["type"] if t != "null"]
                rest = {k: v for k, v in schema.items() if k != "type"}
                # Several types: one alternative each (openapi-core reads no type list).
                p["schema"] = ({**rest, "type": kinds[0]} if len(kinds) == 1
                               else {"anyOf": [{**rest, "type": k} for k in kinds]})
                if p["schema"].get("default", 0) is None:
                    # openapi-core validates a default it fills in for an absent parameter.
                    del p["schema"]["default"]

    v31 = str(spec.get("openapi", "")).startswith("3.1")

    def is_file(prop):
        return isinstance(prop, dict) and prop.get("type") == "string" and (
            prop.get("format") == "binary" or "contentMediaType" in prop
            or "contentEncoding" in prop)

    def fix_raw(op):
        content = resolve(spec, op.get("requestBody")) or {}
        for mime, media in (content.get("content") or {}).items():
            raw = not (mime.startswith(("multipart/", "text/", "application/x-www-form-urlencoded"))
                       or "json" in mime)
            schema = resolve(spec, media.get("schema")) if isinstance(media, dict) else None
            if raw and isinstance(schema, dict) and schema.get("type") == "string":
                media["schema"] = {} if v31 else {"type": "string", "format": "binary"}

    def fix_multipart(op):
        content = resolve(spec, op.get("requestBody")) or {}
        for mime, media in (content.get("content") or {}).items():
            if not mime.startswith("multipart/") or not isinstance(media, dict):
                continue
            if v31:
                schema = resolve(spec, media.get("schema"))
                if not isinstance(schema, dict):
                    continue
                # A copy: the component it may name is used elsewhere too.
                schema = json.loads(json.dumps(schema))
                for name, prop in list((schema.get("properties") or {}).items()):
                    if is_file(resolve(spec, prop)):
                        schema["properties"][name] = {}
                media["schema"] = schema
            schema = resolve(spec, media.get("schema"))
            if not isinstance(schema, dict):
                continue
            members = [schema] + [resolve(spec, m) for m in schema.get("allOf", []) or []]
            encoding = media.setdefault("encoding", {})
            for member in members:
                props = member.get("properties") if isinstance(member, dict) else None
                for name, prop in (props or {}).items():
                    prop = resolve(spec, prop)
                    scalar = isinstance(prop, dict) and prop.get("type") in ("integer", "number", "boolean")
                    if scalar and name not in encoding:
                        encoding[name] = {"style": "form", "explode": True}

    for item in (spec.get("paths") or {}).values():
        if isinstance(item, dict):
            item.pop("servers", None)
            fix_params(item.get("parameters"))
            for op in item.values():
                if isinstance(op, dict):
                    op.pop("servers", None)
                    fix_params(op.get("parameters"))
                    fix_raw(op)
                    fix_multipart(op)
    params = (spec.get("components") or {}).get("parameters")
    if isinstance(params, dict):
        fix_params(list(params.values()))
    drop_discriminators(spec)
    return spec


def drop_discriminators(node):
    """Removes every `discriminator`: an annotation (the `oneOf` it sits on still decides), which
    openapi-core follows as `$ref`s, where a spec's mapping may name a tag value instead."""
    if isinstance(node, dict):
        if isinstance(node.get("discriminator"), dict) and "propertyName" in node["discriminator"]:
            del node["discriminator"]
        for v in node.values():
            drop_discriminators(v)
    elif isinstance(node, list):
        for v in node:
            drop_discriminators(v)


class PathValues(Mapping):
    """Path parameters as openapi-core 0.23's label and matrix readers look them up: under
    `.name`, `;name` (with `*` when exploded), keys its own path matcher never makes (it keys the
    raw segment by `name`), so that every label or matrix path parameter would be refused."""

    def __init__(self, location, name):
        self.location = location
        self.name = name

    def __getitem__(self, key):
        if key in self.location:
            return self.location[key]
        if key.strip(".;*") == self.name and self.name in self.location:
            return self.location[self.name]
        raise KeyError(key)

    def __iter__(self):
        return iter(self.location)

    def __len__(self):
        return len(self.location)


def patch_path_styles(exploded_objects):
    """Mends the lookup [`PathValues`] describes, and the reading of an exploded form object
    (`?size=3&page=2` for `parameter: {size, page}`): openapi-core 0.23 looks it up under the
    parameter's name, which such a query never holds, and so calls it missing. Here its
    properties (`exploded_objects`: parameter name → property names, from the spec) are read
    from the query. The readers themselves are openapi-core's."""
    from openapi_core.deserializing.styles import style_deserializers
    from openapi_core.deserializing.styles.util import form_loads, label_loads, matrix_loads

    def mended(loads):
        return lambda explode, name, schema_type, location: loads(
            explode, name, schema_type, PathValues(location, name))

    declared = exploded_objects.get(None, set())

    def form(explode, name, schema_type, location):
        props = exploded_objects.get(name)
        if explode and schema_type == "object" and props is not None and name not in location:
            # Without declared properties, every key no query parameter of the spec names.
            keys = props or [k for k in location if k not in declared]
            found = {k: location[k] for k in keys if k in location}
            if not found:
                raise KeyError(name)
            return found
        return form_loads(explode, name, schema_type, location)

    style_deserializers["label"] = mended(label_loads)
    style_deserializers["matrix"] = mended(matrix_loads)
    style_deserializers["form"] = form


def exploded_objects(spec):
    """Query parameters that are objects in the exploded form style: name → property names
    (empty: a free-form object); under `None`, the names of every query parameter."""
    out = {None: set()}

    def visit(params):
        for p in params if isinstance(params, list) else []:
            p = resolve(spec, p)
            if not isinstance(p, dict) or p.get("in") != "query":
                continue
            out[None].add(p.get("name"))
            if p.get("style", "form") != "form" or not p.get("explode", True):
                continue
            schema = resolve(spec, p.get("schema"))
            if isinstance(schema, dict) and schema.get("type") == "object":
                props = set(schema.get("properties") or {})
                # One name, two objects (in two operations): read as free-form.
                name = p.get("name")
                out[name] = props if out.get(name, props) == props else set()

    for item in (spec.get("paths") or {}).values():
        if isinstance(item, dict):
            visit(item.get("parameters"))
            for op in item.values():
                if isinstance(op, dict):
                    visit(op.get("parameters"))
    return out


def check(args):
    from openapi_core import Config, OpenAPI
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
    from openapi_core.exceptions import OpenAPIError
    from openapi_core.validation.request import validators as v
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    with open(args.spec, encoding="utf-8") as f:
        raw_spec = json.load(f)
    spec = loopback_spec(raw_spec)
    patch_path_styles(exploded_objects(spec))
    with open(args.ops, encoding="utf-8") as f:
        ops = json.load(f)
    v31 = str(spec.get("openapi", "")).startswith("3.1")
    checkers = []
    for cls in ((v.V31RequestParametersValidator, v.V31RequestBodyValidator) if v31
                else (v.V30RequestParametersValidator, v.V30RequestBodyValidator)):
        checkers.append(OpenAPI.from_dict(
            spec, config=Config(spec_validator_cls=None, request_validator_cls=cls)))
    with open(args.cases, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f]
    with open(args.sent, encoding="utf-8") as f:
        sent = [json.loads(line) for line in f]
    with open(args.out, "w", encoding="utf-8") as out:
        for i, (case, answer) in enumerate(zip(cases, sent)):
            op = ops[case["op"]]
            finding = {"case": i, "op": case["op"], "ok": True, "what": None}
            got = answer.get("ok")
            if got is None:
                finding.update(ok=False, what=f"not sent: {answer.get('error')}")
            else:
                target = got["target"]
                path, _, query = target.partition("?")
                headers = [(k, v_) for k, v_ in got["headers"]
                           if k not in ("host", "content-length", "transfer-encoding")]
                def environ():
                    return EnvironBuilder(
                        method=got["method"], base_url="http://127.0.0.1/", path=path,
                        query_string=query or None, headers=headers,
                        data=bytes.fromhex(got["body"])).get_environ()
                request = WerkzeugOpenAPIRequest(Request(environ()))
                # The form and multipart fields as a server reads them (a request of its own:
                # the validator's reads the body once).
                mine = Request(environ())
                form = (mine.form, {k: f.read() for k, f in mine.files.items()})
                problems = []
                if got["method"] != op["method"]:
                    problems.append(f"method {got['method']}, the spec's is {op['method']}")
                for checker in checkers:
                    try:
                        checker.validate_request(request)
                    except OpenAPIError as e:  # the validator's refusal, with its reasons
                        # The body validator on its own says so of an optional body left out
                        # (the whole-request validator lets it pass); a required one is
                        # `MissingRequiredRequestBody`. Whether the instance had a body is
                        # `lost`'s to say.
                        if type(e).__name__ == "MissingRequestBody":
                            continue
                        problems.append(describe(e))
                    except Exception as e:  # not a refusal: the validator could not read it
                        problems.append("the validator failed on it (a defect of the check, not "
                                        "necessarily of the request): " + describe(e))
                try:
                    file_names = {name for _, name in binary_keys(raw_spec, op)}
                except (KeyError, IndexError, ValueError, TypeError):
                    file_names = set()
                problems += lost(op, case["params"], got, path, query, form, file_names)
                if problems:
                    finding.update(ok=False, what=f"{got['method']} {target}: " + "; ".join(problems))
            out.write(json.dumps(finding) + "\n")
    return 0


def same(a, b):
    """Whether two JSON values are the same, `null` being absent and numbers compared as values."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = {k for k, v in a.items() if v is not None} | {k for k, v in b.items() if v is not None}
        return all(same(a.get(k), b.get(k)) for k in keys)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return a == b or abs(float(a) - float(b)) <= 1e-12 * max(abs(float(a)), abs(float(b)))
    return a == b and type(a) is type(b)


def text_is(value, text):
    """Whether a scalar value is what `text` (a parameter or part as sent, decoded) says: strings
    as they are, booleans as `true`/`false`, numbers by value."""
    if isinstance(value, bool):
        return text == ("true" if value else "false")
    if isinstance(value, (int, float)):
        try:
            return same(float(value), float(text))
        except (TypeError, ValueError):
            return False
    return isinstance(value, str) and text == value


def scalar(value):
    return isinstance(value, (str, int, float, bool)) and value is not None


def list_is(values, texts):
    """Whether a list of scalars is what the texts sent say: one text each, or one text holding
    them all joined by a style's delimiter (`,`, `|`, space)."""
    if len(texts) == len(values):
        return all(text_is(v, t) for v, t in zip(values, texts))
    if len(texts) == 1:
        return any(len(texts[0].split(d)) == len(values)
                   and all(text_is(v, t) for v, t in zip(values, texts[0].split(d)))
                   for d in (",", "|", " "))
    return False


def lost(op, params, got, path, query, form, file_names):
    """What the request does not carry of the params value it was built from (the validator
    alone accepts a wrong value a schema allows, or an optional part left out): it must go to the
    function's own path; a JSON body must be the instance's (`null` the same as absent); a form or
    multipart body must hold each scalar, list and file the instance's body has; a text or raw
    body its text or bytes; every parameter set to a value that is sent at all (not an empty list
    or object) must be in its place, a scalar or a list of scalars with its value (a parameter
    declared with `content` as its JSON text), an object with each scalar property's value."""
    import re
    from urllib.parse import parse_qsl, unquote

    out = []
    # The path: the function's template, each path parameter with its value.
    parts = re.split(r"\{([^}]+)\}", op["path"])
    pattern = "".join(re.escape(x) if i % 2 == 0 else "([^/]*)" for i, x in enumerate(parts))
    # Decoded first: the client percent-encodes what the template writes literally (`[`, `æ`);
    # no instance puts a `/` in a path parameter.
    m = re.fullmatch(pattern, unquote(path))
    if m is None:
        out.append(f"sent to `{path}`, not to the function's path `{op['path']}`")
    by_wire = {(p["location"], p["wire"]): p for p in op["params"]}
    if m is not None:
        for name, raw in zip(parts[1::2], m.groups()):
            p = by_wire.get(("path", name))
            v = params.get(p["key"]) if p else None
            seg = raw
            if p is None or not scalar(v):
                continue
            if not any(text_is(v, t) for t in (seg, seg[1:] if seg.startswith(".") else None,
                                               seg.split("=", 1)[-1] if seg.startswith(";") else None)
                       if t is not None):
                out.append(f"the path parameter `{name}` is `{seg}`, not {json.dumps(v)}")
    # The body.
    body = op.get("body")
    raw = bytes.fromhex(got["body"])
    if body is not None:
        keys = {p["key"] for p in op["params"]}
        if body["key"] is None:
            wanted = {k: v for k, v in params.items() if k not in keys}
        else:
            wanted = params.get(body["key"])
        media = body["media"]
        if wanted is not None and not raw and media != "json":
            out.append("the body was left out")
        elif media == "json":
            try:
                sent = json.loads(raw) if raw else None
            except ValueError:
                sent = "<not JSON>"
            if not same(wanted, sent):
                out.append(f"the body sent is not the instance's: {json.dumps(sent)[:300]}")
        elif media in ("form", "multipart") and isinstance(wanted, dict):
            fields, files = form
            files_of = {(name, "file") for name in file_names}
            for k, v in wanted.items():
                texts = fields.getlist(k)
                is_file = (k, "file") in files_of
                if is_file and isinstance(v, str):
                    # A file: its bytes, the instance's UTF-8 (a part without a file name is read
                    # as a field).
                    sent_bytes = files.get(k)
                    if sent_bytes is None and texts:
                        sent_bytes = texts[0].encode("utf-8")
                    ok = sent_bytes == v.encode("utf-8")
                elif scalar(v):
                    ok = any(text_is(v, t) for t in texts) or (k in files and text_is(v, files[k].decode("utf-8", "replace")))
                elif isinstance(v, list) and all(scalar(x) for x in v):
                    ok = not v or list_is(v, texts)
                else:
                    ok = True  # an object or nested list: its encoding is the style's
                if v is not None and not ok:
                    out.append(f"the body's `{k}` is not the instance's {json.dumps(v)[:100]}")
        elif media == "text" and isinstance(wanted, str):
            if raw.decode("utf-8", "replace") != wanted:
                out.append("the text body is not the instance's")
        elif media == "bytes" and isinstance(wanted, str):
            if raw != wanted.encode("utf-8"):
                out.append("the raw body is not the instance's bytes")
    # The parameters.
    pairs = parse_qsl(query, keep_blank_values=True)
    headers = {k.lower(): v for k, v in got["headers"]}
    cookies = {}
    for c in headers.get("cookie", "").split(";"):
        if "=" in c:
            k, _, v = c.strip().partition("=")
            cookies[k] = unquote(v)
    for p in op["params"]:
        v = params.get(p["key"])
        if v is None or v == [] or v == {} or p["location"] == "path":
            continue
        wire = p["wire"]
        if p["location"] == "query":
            texts = [t for k, t in pairs if k == wire]
        elif p["location"] == "header":
            texts = [headers[wire.lower()]] if wire.lower() in headers else []
        else:
            texts = [cookies[wire]] if wire in cookies else []
        if p.get("json"):
            def as_json(t):
                try:
                    return json.loads(t)
                except ValueError:
                    return "<not JSON>"
            ok = any(same(v, as_json(t)) for t in texts)
        elif scalar(v):
            ok = any(text_is(v, t) for t in texts)
        elif isinstance(v, list) and all(scalar(x) for x in v):
            ok = list_is(v, texts)
        elif isinstance(v, dict) and p["location"] == "query":
            # deepObject (`k[a]=1`), an exploded form object (`a=1`) or an unexploded one
            # (`k=a,1`): each scalar property with its value.
            def held(name, x):
                if any(k == f"{wire}[{name}]" and text_is(x, t) for k, t in pairs):
                    return True
                if any(k == name and text_is(x, t) for k, t in pairs):
                    return True
                joined = [t.split(",") for t in texts]
                return any(name in j and j.index(name) + 1 < len(j) and text_is(x, j[j.index(name) + 1])
                           for j in joined)
            ok = all(held(k, x) for k, x in v.items() if scalar(x))
        else:
            ok = bool(texts)
        if not ok:
            sent = f"`{texts[0]}`" if texts else "nothing"
            out.append(f"the {p['location']} parameter `{wire}` sent {sent}, not {json.dumps(v)[:100]}")
    return out


def describe(e):
    """A validator's refusal, with the schema errors under it."""
    def text(x):
        try:
            return str(x)
        except Exception:  # an exception whose message cannot be made (openapi-core has some)
            return "(no message)"

    parts = [f"{type(e).__name__}: {text(e)}"]
    seen = set()
    cause = e.__cause__ or e.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        inner = getattr(cause, "schema_errors", None)
        if inner:
            parts.append("; ".join(text(x.message) for x in list(inner)[:3]))
        else:
            parts.append(f"{type(cause).__name__}: {text(cause)}")
        cause = cause.__cause__ or cause.__context__
    return " <- ".join(p[:300] for p in parts)


SELFTEST_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "self-test", "version": "1"},
    "paths": {
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "integer"}}],
            "post": {
                "parameters": [
                    {"name": "limit", "in": "query", "required": True,
                     "schema": {"type": "integer", "maximum": 10}},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}}}}},
                "responses": {"200": {"description": "ok"}},
            },
        },
        "/items": {
            "post": {
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "ok"}},
            },
        },
    },
}
SELFTEST_OP = {
    "pointer": "#/paths/~1items~1{id}/post", "method": "POST", "path": "/items/{id}",
    "params": [
        {"key": "id", "wire": "id", "location": "path", "required": True,
         "schema": "#/paths/~1items~1{id}/parameters/0/schema"},
        {"key": "limit", "wire": "limit", "location": "query", "required": True,
         "schema": "#/paths/~1items~1{id}/post/parameters/0/schema"},
        {"key": "x_trace", "wire": "X-Trace", "location": "header", "required": False,
         "schema": "#/paths/~1items~1{id}/post/parameters/1/schema"},
    ],
    "body": {"key": None, "content_type": "application/json", "media": "json", "required": True,
             "schema": "#/paths/~1items~1{id}/post/requestBody/content/application~1json/schema"},
}


def selftest(args):
    """The check refuses what it must: each request below is judged as its label says, or the
    check itself is broken (a validator that accepts everything proves nothing)."""
    import tempfile

    params = {"id": 7, "limit": 3, "x_trace": "t", "name": "a", "size": 2}
    good = {"method": "POST", "target": "/items/7?limit=3",
            "headers": [["x-trace", "t"], ["content-type", "application/json"]],
            "body": json.dumps({"name": "a", "size": 2}).encode().hex()}

    def variant(**change):
        return {**good, **change}

    cases = [
        ("valid", True, good),
        ("a query value above its maximum", False, variant(target="/items/7?limit=11")),
        ("a required query parameter left out", False, variant(target="/items/7")),
        ("a path value of the wrong type", False, variant(target="/items/x?limit=3")),
        ("a required body property left out", False,
         variant(body=json.dumps({"size": 2}).encode().hex())),
        ("a body property of the wrong type", False,
         variant(body=json.dumps({"name": 1, "size": 2}).encode().hex())),
        ("a body that dropped a property it was given", False,
         variant(body=json.dumps({"name": "a"}).encode().hex())),
        ("a header it was given, not sent", False,
         variant(headers=[["content-type", "application/json"]])),
        ("the wrong method", False, variant(method="PUT")),
        ("another function's path (valid there)", False, variant(target="/items?limit=3")),
        ("another path value", False, variant(target="/items/8?limit=3")),
        ("another query value the schema allows", False, variant(target="/items/7?limit=2")),
        ("another header value", False,
         variant(headers=[["x-trace", "u"], ["content-type", "application/json"]])),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("spec", "ops", "cases", "sent", "out")}
        with open(paths["spec"], "w") as f:
            json.dump(SELFTEST_SPEC, f)
        with open(paths["ops"], "w") as f:
            json.dump([SELFTEST_OP], f)
        with open(paths["cases"], "w") as f:
            for _ in cases:
                f.write(json.dumps({"op": 0, "label": "self-test", "params": params}) + "\n")
        with open(paths["sent"], "w") as f:
            for _, _, request in cases:
                f.write(json.dumps({"ok": request}) + "\n")
        check(argparse.Namespace(spec=paths["spec"], ops=paths["ops"], cases=paths["cases"],
                                 sent=paths["sent"], out=paths["out"]))
        with open(paths["out"]) as f:
            findings = [json.loads(line) for line in f]
    wrong = [f"{label}: judged {'valid' if f['ok'] else 'invalid'} ({f['what']})"
             for (label, ok, _), f in zip(cases, findings) if f["ok"] != ok]
    if len(findings) != len(cases) or wrong:
        print("requests.py self-test failed: the request check misjudges\n  " + "\n  ".join(wrong),
              file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="step", required=True)
    m = sub.add_parser("make")
    m.add_argument("--spec", required=True)
    m.add_argument("--ops", required=True)
    m.add_argument("--out", required=True)
    m.add_argument("--summary", required=True)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--examples", type=int, default=4, help="params values per operation and plan")
    m.add_argument("--op-budget", type=float, default=10.0, help="seconds per operation")
    m.add_argument("--budget", type=float, default=300.0, help="seconds for the whole spec")
    m.add_argument("--depth", type=int, default=2, help="times a recursive $ref is followed")
    m.add_argument("--jobs", type=int, default=1, help="worker processes")
    c = sub.add_parser("check")
    c.add_argument("--spec", required=True)
    c.add_argument("--ops", required=True)
    c.add_argument("--cases", required=True)
    c.add_argument("--sent", required=True)
    c.add_argument("--out", required=True)
    sub.add_parser("selftest")
    args = ap.parse_args()
    return {"make": make, "check": check, "selftest": selftest}[args.step](args)


if __name__ == "__main__":
    sys.exit(main())
