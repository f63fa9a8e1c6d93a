//! Reading: bytes or text in, a marked value tree and its template format out.

pub mod highlight;
mod loader;

pub use loader::{load, Limits};

use serde::Serialize;

use crate::value::Value;

/// A problem that stops the template from being read, with its position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct ParseError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

impl ParseError {
    pub fn at(message: impl Into<String>, line: u32, column: u32) -> Self {
        Self {
            message: message.into(),
            line,
            column,
        }
    }
}

/// What kind of template a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[serde(rename = "cloudformation")]
    CloudFormation,
    Sam,
    Serverless,
    /// Terraform configuration: HCL (`.tf`) or its JSON syntax (`.tf.json`).
    Terraform,
    /// `terraform show -json` output (a plan or a state).
    #[serde(rename = "terraform-plan")]
    TerraformPlan,
}

impl Format {
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::CloudFormation => "cloudformation",
            Format::Sam => "sam",
            Format::Serverless => "serverless",
            Format::Terraform => "terraform",
            Format::TerraformPlan => "terraform-plan",
        }
    }
}

/// Turn raw bytes into text, with a positioned error for invalid UTF-8 and NUL bytes.
pub fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col_at_byte(bytes, e.valid_up_to());
        ParseError::at(
            format!("the file is not valid UTF-8 (byte {} is not part of a UTF-8 character); templates are text", e.valid_up_to()),
            line,
            column,
        )
    })?;
    if let Some(i) = text.find('\0') {
        let (line, column) = line_col_at_byte(bytes, i);
        return Err(ParseError::at(
            "the file contains a NUL byte; it looks binary, not like a template",
            line,
            column,
        ));
    }
    Ok(text)
}

fn line_col_at_byte(bytes: &[u8], at: usize) -> (u32, u32) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// Decide which format a loaded document is, whatever the file is called.
pub fn detect(root: &Value) -> Result<Format, ParseError> {
    if root.as_map().is_none() {
        return Err(ParseError::at(
            "the document is not a map; expected a CloudFormation/SAM template (with `Resources:`), a Serverless Framework `serverless.yml` (with `service:`, `provider:` and `functions:`) or Terraform (`.tf`, `.tf.json`, `terraform show -json`)",
            root.span.start.line,
            root.span.start.column,
        ));
    }
    let is_sam = root.get("Transform").is_some_and(|t| {
        t.items().iter().any(|v| {
            v.as_str()
                .is_some_and(|s| s.starts_with("AWS::Serverless-"))
        })
    });
    if is_sam {
        return Ok(Format::Sam);
    }
    if root.get("service").is_some() && root.get("provider").is_some() {
        return Ok(Format::Serverless);
    }
    if root.get("Resources").is_some() || root.get("AWSTemplateFormatVersion").is_some() {
        return Ok(Format::CloudFormation);
    }
    if crate::model::terraform::is_plan(root) {
        return Ok(Format::TerraformPlan);
    }
    if crate::model::terraform::is_tf_json(root) {
        return Ok(Format::Terraform);
    }
    Err(ParseError::at(
        "this does not look like a template: expected a CloudFormation/SAM template (a `Resources:` section, `AWSTemplateFormatVersion`, or `Transform: AWS::Serverless-2016-10-31`), a Serverless Framework file (`service:` + `provider:` + `functions:`), or Terraform (`resource` blocks in HCL or `.tf.json`, `terraform show -json` output)",
        root.span.start.line,
        root.span.start.column,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> Result<Format, ParseError> {
        detect(&load(s, &Limits::default())?)
    }

    #[test]
    fn detects_formats_by_content() {
        assert_eq!(fmt("Resources: {}\n"), Ok(Format::CloudFormation));
        assert_eq!(
            fmt("Transform: AWS::Serverless-2016-10-31\nResources: {}\n"),
            Ok(Format::Sam)
        );
        assert_eq!(
            fmt(
                "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources: {}\n"
            ),
            Ok(Format::Sam)
        );
        assert_eq!(
            fmt("service: x\nprovider: {name: aws}\nfunctions: {}\n"),
            Ok(Format::Serverless)
        );
        let e = fmt("hello: world\n").expect_err("not a template");
        assert!(e.message.contains("Resources"));
        assert_eq!(
            fmt(r#"{"resource": {"aws_s3_bucket": {"b": {}}}}"#),
            Ok(Format::Terraform)
        );
        assert_eq!(
            fmt(r#"{"format_version": "1.2", "planned_values": {"root_module": {}}}"#),
            Ok(Format::TerraformPlan)
        );
    }

    #[test]
    fn invalid_utf8_and_nul_are_positioned() {
        let e = decode(b"a: 1\nb: \xff\n").expect_err("utf8");
        assert_eq!((e.line, e.column), (2, 4));
        let e = decode(b"a: 1\n\0").expect_err("nul");
        assert_eq!(e.line, 2);
    }
}
