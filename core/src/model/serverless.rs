//! Serverless Framework (`serverless.yml`) expansion.

use crate::parse::ParseError;

use super::Template;

/// Expand a Serverless Framework service into the CloudFormation it packages to.
pub fn expand(t: &mut Template) -> Result<(), ParseError> {
    let root = t.root.clone();
    if let Some(res) = root
        .get_path(&["resources", "Resources"])
        .and_then(crate::value::Value::as_map)
    {
        for (k, v) in res {
            t.resources.push(super::resource_from(
                k.name.clone(),
                k.span,
                v,
                super::Origin::Declared,
            )?);
        }
    }
    Ok(())
}
