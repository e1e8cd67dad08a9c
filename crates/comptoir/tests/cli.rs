//! The `comptoir` binary as an operator meets it.

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn an_unreachable_database_fails_fast_with_one_clear_line() {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .env(
            "DATABASE_URL",
            "postgres://shop:hunter2@127.0.0.1:1/comptoir",
        )
        .env("RUST_LOG", "off")
        .arg("serve")
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with(
            "error: cannot connect to the database at postgres://shop:***@127.0.0.1:1/comptoir"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"));
}

#[test]
fn a_bad_site_url_is_refused_at_start() {
    let data = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .env_remove("DATABASE_URL")
        .env("COMPTOIR_DATA_DIR", data.path())
        .env("DEMO_PRODUCTS", "20")
        .env("SITE_FR_URL", "deguisements.example.fr")
        .env("RUST_LOG", "off")
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("SITE_FR_URL"), "{stderr}");
}
