pub mod playground;
pub mod rule;
