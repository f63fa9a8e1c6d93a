#!/usr/bin/env python3
"""Write core/src/model/sam/data/sam-policy-templates.min.json from the SAM policy templates
as published (sam-policy-templates.json, kept beside it): no whitespace and no `Description`
texts, which pillarlint never reads. The core compiles the small one in (2.3 KB gzip less in
every Wasm bundle); core's test `sam_policy_templates_min_is_derived` checks the two agree."""
import json, pathlib
d = pathlib.Path(__file__).resolve().parent.parent / "core/src/model/sam/data"
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k != "Description"}
    if isinstance(o, list):
        return [strip(x) for x in o]
    return o
src = json.loads((d / "sam-policy-templates.json").read_text(encoding="utf-8"))
(d / "sam-policy-templates.min.json").write_text(
    json.dumps(strip(src), separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
