//! The library half of the drop-in Cargo test: its rlib (an archive whose
//! `lib.rmeta` member is not ELF) is on the link line of the binary.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Sum of the squares of 1..=n, computed by `threads` threads.
pub fn parallel_sum_of_squares(n: u64, threads: u64) -> u64 {
    let chunk = (n + threads - 1) / threads;
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            std::thread::spawn(move || {
                let lo = t * chunk + 1;
                let hi = ((t + 1) * chunk).min(n);
                (lo..=hi).map(|i| i * i).sum::<u64>()
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().expect("worker panicked")).sum()
}

/// A table of numbers formatted several ways (integers, floats, hex,
/// padding), so the formatting machinery of std is linked and exercised.
pub fn format_table() -> String {
    let mut out = String::new();
    let values: BTreeMap<&str, f64> = [("pi", std::f64::consts::PI), ("e", std::f64::consts::E), ("third", 1.0 / 3.0)]
        .into_iter()
        .collect();
    for (name, v) in &values {
        writeln!(out, "{name:>6} = {v:.5} ({v:e})").unwrap();
    }
    writeln!(out, "hex {:#x} oct {:o} bin {:b} pad [{:>5}] [{:<5}]", 48879, 8, 5, 42, 7).unwrap();
    out
}

/// Panics with a message naming `what`.
pub fn boom(what: &str) -> u32 {
    panic!("greet::boom called with {what}");
}
