//! `data` pillar rules.
