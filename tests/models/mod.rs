//! Models of the operations in the conformance vectors, written with the derive.
//! Each keeps unknown wire fields in `other`, so a vector set with fields these
//! models do not name still round-trips.
#![allow(dead_code)]

pub mod dynamodb;
pub mod network_firewall;
pub mod s3;
pub mod shapes;
