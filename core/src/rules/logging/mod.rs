//! `logging` pillar rules.
