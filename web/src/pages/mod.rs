pub mod bench;
pub mod embed;
pub mod playground;
pub mod rule;
