//! `resources:` of a service: `Resources` (deep-merged into a generated resource of the same
//! id, else declared), `extensions` (shallow edits of any resource), `Outputs`, `Conditions` and
//! `Parameters`.

use std::collections::HashMap;

use crate::model::{resource_from, Origin, Parameter, Resource, Template};
use crate::parse::ParseError;
use crate::value::Value;

use super::mk;
use super::Sls;

/// The resources declared under `resources.Resources` (those that share a generated resource's
/// id are merged into it instead), after `resources.extensions` were applied.
pub(super) fn declared_resources(
    x: &mut Sls,
    root: &Value,
    aliases: &HashMap<String, String>,
) -> Result<Vec<Resource>, ParseError> {
    // `resources.Resources`: deep-merged into generated resources with the same id.
    let mut declared: Vec<Resource> = Vec::new();
    if let Some(res) = root.get_path(&["resources", "Resources"]) {
        match res.as_map() {
            Some(entries) => {
                for (k, v) in entries {
                    let id = aliases
                        .get(&k.name)
                        .cloned()
                        .unwrap_or_else(|| k.name.clone());
                    if let Some(g) = x.out.iter_mut().find(|r| r.id == id) {
                        if let Some(p) = v.get("Properties") {
                            if g.properties.is_null() {
                                g.properties = p.clone();
                            } else {
                                mk::deep_merge(&mut g.properties, p);
                            }
                        }
                        if let Some(ty) = v.get("Type").and_then(Value::as_str) {
                            g.type_ = ty.to_owned();
                        }
                        continue;
                    }
                    if let Some(text) = v.as_str().filter(|s| s.contains("${")) {
                        x.warn(
                            format!("resource `{}` comes from `{text}`, which pillarlint does not read; skipped", k.name),
                            v.span,
                        );
                        continue;
                    }
                    declared.push(resource_from(id, k.span, v, Origin::Declared)?);
                }
            }
            None => x.warn("`resources.Resources` must be a map", res.span),
        }
    }
    // `resources.extensions.<id>`: shallow-assign Properties/Metadata, append DependsOn, set
    // Condition; an unknown id is an error in the Framework (a diagnostic here).
    if let Some(ext) = root
        .get_path(&["resources", "extensions"])
        .and_then(Value::as_map)
    {
        for (k, v) in ext {
            let id = aliases
                .get(&k.name)
                .cloned()
                .unwrap_or_else(|| k.name.clone());
            let target = x
                .out
                .iter_mut()
                .chain(declared.iter_mut())
                .find(|r| r.id == id);
            let Some(r) = target else {
                x.diags.push((
                    format!("`resources.extensions.{}` extends a resource that does not exist; the Framework rejects this", k.name),
                    k.span,
                ));
                continue;
            };
            if let Some(p) = v.get("Properties").and_then(Value::as_map) {
                if r.properties.is_null() {
                    r.properties = mk::empty(r.span);
                }
                for (pk, pv) in p {
                    mk::set(&mut r.properties, &pk.name, pv.clone());
                }
            }
            if let Some(m) = v.get("Metadata") {
                r.metadata = Some(m.clone());
            }
            for d in v.get("DependsOn").map(Value::items).unwrap_or_default() {
                if let Some(d) = d.as_str() {
                    r.depends_on.push(d.to_owned());
                }
            }
            if let Some(c) = v.get("Condition").and_then(Value::as_str) {
                r.condition = Some(c.to_owned());
            }
        }
    }
    Ok(declared)
}

/// `resources.Outputs`, `resources.Conditions` and `resources.Parameters`.
pub(super) fn read_sections(t: &mut Template, root: &Value) {
    if let Some(outs) = root
        .get_path(&["resources", "Outputs"])
        .and_then(Value::as_map)
    {
        t.outputs = outs
            .iter()
            .map(|(k, v)| (k.name.clone(), v.clone()))
            .collect();
    }
    if let Some(conds) = root
        .get_path(&["resources", "Conditions"])
        .and_then(Value::as_map)
    {
        t.conditions = conds
            .iter()
            .map(|(k, v)| (k.name.clone(), v.clone()))
            .collect();
    }
    if let Some(params) = root
        .get_path(&["resources", "Parameters"])
        .and_then(Value::as_map)
    {
        for (k, v) in params {
            t.parameters.push(Parameter::declared(k, v));
        }
    }
}
