//! The binary half of the drop-in Cargo test. Without arguments it prints
//! known output and exits 0; with the argument `panic` it panics for real
//! (exit status 101 and the panic message on stderr).

use std::panic;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("panic") {
        let n = greet::boom("a real panic");
        println!("unreachable {n}");
        return;
    }

    println!("hello from a Rust program linked by xld");
    let sum = greet::parallel_sum_of_squares(1000, 4);
    println!("sum of squares 1..=1000 with 4 threads: {sum}");
    print!("{}", greet::format_table());

    // Unwinding through the library and back: catch_unwind must see it.
    panic::set_hook(Box::new(|_| {}));
    let caught = panic::catch_unwind(|| greet::boom("catch_unwind"));
    let _ = panic::take_hook();
    match caught {
        Ok(_) => println!("no panic?"),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "<non-string payload>".to_string());
            println!("caught: {msg}");
        }
    }

    // A value dropped during unwinding runs its destructor.
    struct Noisy;
    impl Drop for Noisy {
        fn drop(&mut self) {
            println!("dropped while unwinding");
        }
    }
    panic::set_hook(Box::new(|_| {}));
    let r = panic::catch_unwind(|| {
        let _n = Noisy;
        greet::boom("drop");
    });
    let _ = panic::take_hook();
    println!("second catch: {}", if r.is_err() { "ok" } else { "missed" });
    println!("done");
}
