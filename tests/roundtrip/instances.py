#!/usr/bin/env python3
"""Instances of an OpenAPI spec's schemas, made by a third-party generator (hypothesis-jsonschema).

Used by `cargo xtask roundtrip`: the instances come from the spec itself, never from the Rust
generator's reading of it, so a type that drops what the spec declares shows up as a difference.

    instances.py --spec SPEC.json --roots ROOTS.json --out CASES.jsonl --summary SUMMARY.json
                 [--seed N] [--examples N] [--root-budget SECONDS] [--budget SECONDS]

ROOTS.json is a list of {"name", "pointer"}: the schemas to make instances of (JSON pointers into
SPEC.json, `#/components/schemas/Pet`). Each line of CASES.jsonl is
{"name", "pointer", "mode", "instance"}:

- mode "exact": the instance with every key removed that no schema applying to it declares, where
  a schema declares properties and allows no others (additionalProperties absent); the Rust type
  must decode it and encode back the same JSON.
- mode "open": the instance as generated, with such undeclared keys where it has any; the Rust type
  must decode it (unknown keys are ignored) and encode nothing it did not get.

Every instance is valid against the spec's schema: 3.0 schemas are read as JSON Schema the standard
way (`nullable` adds `null`; `discriminator`, `example`, `x-*` are annotations); 3.1 schemas are JSON
Schema 2020-12, and each instance is checked against the original schema with `jsonschema`'s
Draft 2020-12 validator (instances it refuses are dropped and counted).
"""

import argparse
import json
import re
import signal
import sys
import time
import warnings

import jsonschema
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Flaky, HypothesisWarning
from hypothesis_jsonschema import from_schema
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

warnings.simplefilter("ignore", HypothesisWarning)
# A pattern Python's `re` cannot read (`\p{L}`) is left out of the strategy; said once per schema
# by hypothesis-jsonschema, which would flood the output.
warnings.filterwarnings("ignore", message="Got pattern=", category=UserWarning)

# Formats hypothesis-jsonschema has no strategy of its own for, made here: a `uuid` must be one
# (a request validator checks it), not any string.
CUSTOM_FORMATS = {"uuid": st.uuids().map(str)}
# Formats generated (hypothesis-jsonschema's and the custom ones); any other is an annotation here.
KNOWN_FORMATS = {
    "date-time", "date", "time", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6",
    "uri", "uri-reference", "iri", "iri-reference", "uuid", "regex", "json-pointer",
    "relative-json-pointer", "duration",
}
# Keywords that say nothing about valid instances.
ANNOTATIONS = {
    "description", "title", "example", "examples", "discriminator", "xml", "externalDocs",
    "deprecated", "readOnly", "writeOnly", "$comment", "$schema", "$id", "contentMediaType",
    "contentEncoding", "contentSchema", "$anchor", "$dynamicAnchor",
}
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_ONES = (
    "items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else",
    "additionalItems", "unevaluatedProperties", "unevaluatedItems",
)
I64 = (-(2**63), 2**63 - 1)
I32 = (-(2**31), 2**31 - 1)


class RootTimeout(BaseException):
    """Raised by the alarm when a root's time is up (a BaseException, so hypothesis lets it through)."""


def pointer_get(doc, pointer):
    """The value at a JSON pointer (`#/a/b` or `/a/b`)."""
    node = doc
    path = pointer[1:] if pointer.startswith("#") else pointer
    if not path:
        return node
    for raw in path.lstrip("/").split("/"):
        seg = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(seg)]
        else:
            node = node[seg]
    return node


class Converter:
    """A spec's schema as a self-contained draft-7 schema: `$ref`s inlined (a recursive reference
    at most `depth` times on one path, then `false`: an optional property or list item that is cut
    there is absent or empty), OpenAPI 3.0's and 3.1's own keywords read as JSON Schema."""

    def __init__(self, spec, v31, depth, strict_nullable=False):
        self.spec = spec
        self.v31 = v31
        self.depth = depth
        # OpenAPI 3.0.3's own reading of `nullable` (what request validators apply): it takes
        # effect only beside `type`, an `enum` without `null` still refuses it, and a `$ref`'s
        # siblings are ignored. Else the lenient reading the generator shares: `nullable`
        # anywhere admits `null`.
        self.strict_nullable = strict_nullable

    def convert(self, schema, stack=()):
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            return {}
        if "$ref" in schema:
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return {}  # another document: any value
            if stack.count(ref) >= self.depth:
                return False
            try:
                target = pointer_get(self.spec, ref)
            except (KeyError, IndexError, ValueError):
                return {}
            inner = self.convert(target, stack + (ref,))
            siblings = {k: v for k, v in schema.items() if k != "$ref" and k not in ANNOTATIONS}
            siblings = {k: v for k, v in siblings.items() if not k.startswith("x-")}
            if self.v31 and siblings:
                return {"allOf": [inner, self.convert(siblings, stack)]}
            if not self.v31 and not self.strict_nullable and siblings.get("nullable") is True:
                return {"anyOf": [{"type": "null"}, inner]}
            return inner
        out = {}
        for key, value in schema.items():
            if key.startswith("x-") or key in ANNOTATIONS:
                continue
            if key in SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {k: self.convert(v, stack) for k, v in value.items()}
            elif key in SCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.convert(v, stack) for v in value]
            elif key in SCHEMA_ONES:
                if isinstance(value, list):
                    out[key] = [self.convert(v, stack) for v in value]
                else:
                    out[key] = self.convert(value, stack)
            else:
                out[key] = value
        if self.v31:
            self.v31_to_draft7(out)
        else:
            out = self.v30_to_draft7(out, self.strict_nullable)
        fmt = out.get("format")
        if fmt is not None and fmt not in KNOWN_FORMATS:
            del out["format"]
        types = out.get("type")
        types = types if isinstance(types, list) else [types]
        if "integer" in types:
            # JSON Schema's integers are unbounded; Rust's are i64. Numbers beyond i64 are not
            # generated (said in the README: a limit of the check, not of the spec).
            low, high = I32 if fmt == "int32" else I64
            out["minimum"] = max(out.get("minimum", low), low) if _num(out.get("minimum")) else low
            out["maximum"] = min(out.get("maximum", high), high) if _num(out.get("maximum")) else high
        return out

    @staticmethod
    def v30_to_draft7(out, strict=False):
        for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            flag = out.get(exclusive)
            if isinstance(flag, bool):
                del out[exclusive]
                if flag and bound in out:
                    out[exclusive] = out.pop(bound)
        if out.pop("nullable", False) is True:
            if strict:
                if "type" in out:
                    t = out["type"]
                    out["type"] = (t if isinstance(t, list) else [t]) + ["null"]
                return out
            if "enum" in out and None not in out["enum"]:
                out["enum"] = list(out["enum"]) + [None]
            if "type" in out:
                t = out["type"]
                out["type"] = (t if isinstance(t, list) else [t]) + ["null"]
            elif "enum" not in out:
                return {"anyOf": [{"type": "null"}, out]}
        return out

    @staticmethod
    def v31_to_draft7(out):
        if "prefixItems" in out:
            prefix = out.pop("prefixItems")
            rest = out.pop("items", True)
            out["items"] = prefix
            out["additionalItems"] = rest
        # Not draft-7: left to the 2020-12 validator that checks every instance afterwards.
        out.pop("unevaluatedProperties", None)
        out.pop("unevaluatedItems", None)
        if "dependentRequired" in out:
            out["dependencies"] = out.pop("dependentRequired")
        out.pop("dependentSchemas", None)


def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def filled(schema):
    """The schema with every declared property required and every map and list non-empty (where
    the schema allows it): instances that carry as much as the schema can hold."""
    if isinstance(schema, list):
        return [filled(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: filled(v) for k, v in value.items()}
        elif key in SCHEMA_LISTS or key in SCHEMA_ONES:
            out[key] = filled(value)
        else:
            out[key] = value
    props = out.get("properties")
    if isinstance(props, dict):
        required = list(out.get("required", []))
        required += [k for k, v in props.items() if v is not False and k not in required]
        out["required"] = required
    elif isinstance(out.get("additionalProperties"), dict) and out.get("maxProperties", 1) >= 1:
        out["minProperties"] = max(out.get("minProperties", 0), 1)
    if out.get("items") not in (None, False) and out.get("maxItems", 1) >= 1:
        out["minItems"] = max(out.get("minItems", 0), 1)
        # Two items show a list; more only cost time (each may be a large object).
        out["maxItems"] = max(out["minItems"], min(out.get("maxItems", 2), 2))
    return out


def applicable(schema, instance, out):
    """Collects the object schemas that apply to `instance`: the schema, its allOf members, and
    the oneOf/anyOf alternatives it is valid against, recursively."""
    if not isinstance(schema, dict):
        return
    out.append(schema)
    for member in schema.get("allOf", []):
        applicable(member, instance, out)
    for key in ("oneOf", "anyOf"):
        for alt in schema.get(key, []):
            if isinstance(alt, dict) and jsonschema.Draft7Validator(alt).is_valid(instance):
                applicable(alt, instance, out)


def exact(schema, instance):
    """The instance without the keys that no applying schema declares, where a schema that applies
    declares properties and none allows other keys (the generated structs ignore such keys)."""
    if isinstance(instance, dict):
        schemas = []
        applicable(schema, instance, schemas)
        declared, patterns, open_ = {}, [], []
        structured = False
        for s in schemas:
            props = s.get("properties")
            if isinstance(props, dict):
                # `properties: {}` too: an object that declares it has none (a struct without
                # fields), unlike one that says nothing of its keys.
                structured = True
                for k, v in props.items():
                    declared.setdefault(k, []).append(v)
            for pat, v in (s.get("patternProperties") or {}).items():
                patterns.append((pat, v))
                structured = True
            extra = s.get("additionalProperties")
            if extra is not None and extra is not False:
                open_.append(extra)
        out = {}
        for key, value in instance.items():
            subs = list(declared.get(key, []))
            subs += [v for pat, v in patterns if re.search(pat, key)]
            if not subs:
                if structured and not open_:
                    continue
                subs = open_
            out[key] = exact({"allOf": [s for s in subs if isinstance(s, dict)]}, value)
        return out
    if isinstance(instance, list):
        schemas = []
        applicable(schema, instance, schemas)
        out = list(instance)
        for s in schemas:
            items = s.get("items")
            if isinstance(items, dict):
                out = [exact(items, x) for x in out]
            elif isinstance(items, list):
                rest = s.get("additionalItems")
                out = [
                    exact(items[i] if i < len(items) else rest if isinstance(rest, dict) else {}, x)
                    for i, x in enumerate(out)
                ]
        return out
    return instance


def unicode_text(value):
    """Whether every string of the value is Unicode text: JSON Schema's strings may hold lone UTF-16
    surrogates (`"\\ud800"`), which no Rust `String` (nor UTF-8) can, so such instances are skipped."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def alternatives(schema):
    """One schema per alternative of a root union (each alternative with the rest of the schema),
    so that every alternative gets instances however large the union."""
    for key in ("oneOf", "anyOf"):
        alts = schema.get(key) if isinstance(schema, dict) else None
        if isinstance(alts, list) and len(alts) > 1:
            rest = {k: v for k, v in schema.items() if k != key}
            return [{"allOf": [rest, alt]} if rest else alt for alt in alts]
    return []


def collect(strategy, count, seed_value):
    """Up to `count` values of a hypothesis strategy, seeded."""
    found = []

    @hypothesis_seed(seed_value)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @given(strategy)
    def run(value):
        found.append(value)

    run()
    return found


class Job:
    """What every worker needs: the spec, read once per process."""

    def __init__(self, args):
        with open(args.spec, encoding="utf-8") as f:
            self.spec = json.load(f)
        self.args = args
        self.v31 = str(self.spec.get("openapi", "")).startswith("3.1")
        self.conv = Converter(self.spec, self.v31, args.depth)
        self.registry = None
        if self.v31:
            self.registry = Registry().with_resource(
                "urn:spec", DRAFT202012.create_resource(self.spec))
        self.started = time.monotonic()


JOB = None


def start_worker(args, started):
    global JOB
    JOB = Job(args)
    JOB.started = started
    signal.signal(signal.SIGALRM, on_alarm)


def on_alarm(_signum, _frame):
    raise RootTimeout()


def valid(validator, value, notes):
    """Whether the spec's own (3.1) schema accepts the value; true without a validator, or where
    the schema refers to another document (such a `$ref` is any value to the generator too)."""
    if validator is None:
        return True
    try:
        return validator.is_valid(value)
    except Unresolvable as e:
        note = f"not validated where the schema refers to another document ({e})"
        if note not in notes:
            notes.append(note)
        return True


def one_root(task):
    """Instances of one root: its summary entry and its case lines."""
    index, root = task
    job, args = JOB, JOB.args
    entry = {"name": root["name"], "pointer": root["pointer"], "instances": 0, "refused": 0,
             "note": None}
    lines = []
    left = args.budget - (time.monotonic() - job.started)
    if left <= 1:
        entry["note"] = "not reached: the spec's time budget was spent"
        return entry, lines
    try:
        schema = job.conv.convert(pointer_get(job.spec, root["pointer"]))
    except (KeyError, IndexError, ValueError, RecursionError) as e:
        entry["note"] = f"cannot read the schema: {type(e).__name__}: {e}"
        return entry, lines
    if schema is False:
        entry["note"] = "the schema allows no value"
        return entry, lines
    original = None
    if job.v31:
        original = jsonschema.Draft202012Validator(
            {"$ref": "urn:spec" + root["pointer"]}, registry=job.registry)
    # A root union: each alternative on its own (all of them first, then filled), which reaches
    # every alternative however large the union; any other schema: as it is, then filled.
    # An operation's response mostly holds components that are roots of their own: fewer
    # instances of it, and none filled (the components are, on their own).
    component = root.get("component", True)
    alts = alternatives(schema)
    if alts:
        plans = [(f"alternative {i}", alt) for i, alt in enumerate(alts)]
        if component:
            plans += [(f"alternative {i} filled", filled(alt)) for i, alt in enumerate(alts)]
    else:
        plans = [("as-is", schema)] + ([("filled", filled(schema))] if component else [])
    examples = args.examples if component else max(2, args.examples // 2)
    per_plan = max(2, examples // len(alts)) if alts else examples
    seen = set()
    notes = []
    deadline = time.monotonic() + min(args.root_budget, left)
    for n, (label, plan) in enumerate(plans):
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            notes.append(f"{label}: time budget spent")
            break
        signal.setitimer(signal.ITIMER_REAL, remaining)
        try:
            count = per_plan
            strategy = from_schema(plan, custom_formats=CUSTOM_FORMATS)
            values = collect(strategy, count, args.seed * 1_000_003 + index * 101 + n)
        except (RootTimeout, Flaky):
            # The alarm interrupting hypothesis mid-example surfaces as `Flaky` from its replay.
            values = []
            notes.append(f"{label}: time budget spent")
        except Exception as e:  # the generator could not make instances of this plan
            values = []
            msg = str(e).split("\n")[0][:200]
            notes.append(f"{label}: {type(e).__name__}: {msg}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        for value in values:
            if not unicode_text(value):
                continue
            if not valid(original, value, notes):
                entry["refused"] += 1
                continue
            stripped = exact(schema, value)
            if not valid(original, stripped, notes):
                stripped = None
            for mode, inst in (("exact", stripped), ("open", value)):
                if inst is None or (mode == "open" and inst == stripped):
                    continue
                key = mode + json.dumps(inst, sort_keys=True)
                if key in seen:
                    continue
                seen.add(key)
                lines.append(json.dumps({"name": root["name"], "pointer": root["pointer"],
                                         "mode": mode, "instance": inst}))
                entry["instances"] += 1
    if notes:
        entry["note"] = "; ".join(notes)
    elif entry["instances"] == 0:
        entry["note"] = "no instance"
    return entry, lines


def run_tasks(args, tasks, start, one):
    """Runs `one` over `tasks` (in `args.jobs` worker processes, each set up by `start(args,
    started)`), in order; writes each result's lines to `args.out` and its entries, as a list, to
    `args.summary`."""
    started = time.monotonic()
    if args.jobs > 1:
        import multiprocessing
        pool = multiprocessing.get_context("fork").Pool(
            args.jobs, initializer=start, initargs=(args, started))
        results = pool.imap(one, tasks, chunksize=1)
    else:
        start(args, started)
        pool = None
        results = map(one, tasks)
    summary = []
    with open(args.out, "w", encoding="utf-8") as out:
        for entry, lines in results:
            summary.append(entry)
            for line in lines:
                out.write(line + "\n")
    if pool is not None:
        pool.close()
        pool.join()
    with open(args.summary, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", required=True)
    ap.add_argument("--roots", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--summary", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--examples", type=int, default=8, help="instances per root and mode")
    ap.add_argument("--root-budget", type=float, default=20.0, help="seconds per root")
    ap.add_argument("--budget", type=float, default=300.0, help="seconds for the whole spec")
    ap.add_argument("--depth", type=int, default=2, help="times a recursive $ref is followed")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    args = ap.parse_args()

    with open(args.roots, encoding="utf-8") as f:
        roots = json.load(f)
    # Results come back in the roots' order whatever the number of workers, and each root's
    # seed depends only on its index: the same files for the same arguments.
    run_tasks(args, list(enumerate(roots)), start_worker, one_root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
