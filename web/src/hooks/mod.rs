pub mod use_debounced_analysis;
pub mod use_presented;
