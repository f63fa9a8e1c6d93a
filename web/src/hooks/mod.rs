pub mod use_debounced_analysis;
