pub mod bench;
pub mod playground;
pub mod rule;
