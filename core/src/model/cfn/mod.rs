//! Plain CloudFormation: `Parameters`, `Conditions`, `Outputs` and `Resources` of a
//! CloudFormation-shaped root, read as they are. SAM templates are read this way first, then
//! expanded by [`super::sam`].

use crate::parse::ParseError;
use crate::span::Span;
use crate::value::Value;

use super::{Origin, Parameter, Resource, Template};

impl Template {
    /// Read `Parameters`, `Conditions` and `Resources` of a CloudFormation-shaped root.
    pub fn read_cloudformation(&mut self) -> Result<(), ParseError> {
        if let Some(params) = self.root.get("Parameters").and_then(Value::as_map) {
            for (k, v) in params {
                self.parameters.push(Parameter::declared(k, v));
            }
        }
        if let Some(conds) = self.root.get("Conditions").and_then(Value::as_map) {
            self.conditions = conds
                .iter()
                .map(|(k, v)| (k.name.clone(), v.clone()))
                .collect();
        }
        if let Some(outs) = self.root.get("Outputs").and_then(Value::as_map) {
            self.outputs = outs
                .iter()
                .map(|(k, v)| (k.name.clone(), v.clone()))
                .collect();
        }
        let root = std::mem::replace(
            &mut self.root,
            Value::new(crate::value::Node::Null, Span::default()),
        );
        let result = self.read_resources(&root);
        self.root = root;
        result
    }

    fn read_resources(&mut self, root: &Value) -> Result<(), ParseError> {
        let Some(res) = root.get("Resources") else {
            return Ok(());
        };
        let Some(entries) = res.as_map() else {
            return Err(ParseError::at(
                "`Resources` must be a map of logical IDs to resources",
                res.span.start.line,
                res.span.start.column,
            ));
        };
        for (k, v) in entries {
            self.resources
                .push(resource_from(k.name.clone(), k.span, v, Origin::Declared)?);
        }
        Ok(())
    }
}

/// Read one `LogicalId: {Type, Properties, ...}` entry.
pub fn resource_from(
    id: String,
    span: Span,
    v: &Value,
    origin: Origin,
) -> Result<Resource, ParseError> {
    if v.as_map().is_none() {
        return Err(ParseError::at(
            format!("resource `{id}` must be a map with a `Type`"),
            v.span.start.line,
            v.span.start.column,
        ));
    }
    if let Some((k, module)) = v
        .get("Type")
        .and_then(Value::as_map)
        .and_then(|m| m.iter().find(|(k, _)| k.name == "Rain::Module"))
    {
        return Err(ParseError::at(
            format!(
                "resource `{id}` is a Rain module (`Rain::Module: {}`); package the template with `rain pkg` first, pillarlint reads plain CloudFormation",
                module.as_str().unwrap_or("?")
            ),
            k.span.start.line,
            k.span.start.column,
        ));
    }
    let Some(type_) = v.get("Type").and_then(Value::as_str) else {
        return Err(ParseError::at(
            format!("resource `{id}` has no `Type`"),
            span.start.line,
            span.start.column,
        ));
    };
    Ok(Resource {
        id,
        type_: type_.to_owned(),
        span,
        properties: v
            .get("Properties")
            .cloned()
            .unwrap_or_else(|| Value::new(crate::value::Node::Null, span)),
        metadata: v.get("Metadata").cloned(),
        condition: v
            .get("Condition")
            .and_then(Value::as_str)
            .map(str::to_owned),
        depends_on: v
            .get("DependsOn")
            .map(|d| {
                d.items()
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        origin,
        source_type: None,
    })
}
