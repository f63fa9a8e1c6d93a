//! SAM transform expansion (`AWS::Serverless-2016-10-31`).

use crate::parse::ParseError;

use super::Template;

/// Expand `AWS::Serverless::*` resources into what the SAM transform generates.
pub fn expand(_t: &mut Template) -> Result<(), ParseError> {
    Ok(())
}
