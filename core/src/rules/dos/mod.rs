//! `dos` pillar rules.
