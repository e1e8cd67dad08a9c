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
        .env(
            "COMPTOIR_STATIC_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../static"),
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

/// Redsys without the merchant's own key would sign with a key others know: the shop
/// refuses to start, naming the variable, and never falls back to a public key.
#[test]
fn redsys_without_its_key_is_refused_at_start() {
    let data = tempfile::tempdir().expect("temp dir");
    for key in [None, Some(""), Some("short")] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_comptoir"));
        command
            .env_remove("DATABASE_URL")
            .env_remove("REDSYS_KEY")
            .env("COMPTOIR_DATA_DIR", data.path())
            .env("DEMO_PRODUCTS", "20")
            .env("PAYMENT_GATEWAY", "redsys")
            .env("RUST_LOG", "off");
        if let Some(key) = key {
            command.env("REDSYS_KEY", key);
        }
        let output = command.output().expect("the binary runs");
        assert!(!output.status.success(), "{key:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("REDSYS_KEY"), "{key:?}: {stderr}");
    }
}

/// The old boolean would now be read as nothing: the start stops and names the
/// setting that replaces it.
#[test]
fn the_retired_trust_forwarded_for_names_its_replacement() {
    let data = tempfile::tempdir().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .env_remove("DATABASE_URL")
        .env("COMPTOIR_DATA_DIR", data.path())
        .env("DEMO_PRODUCTS", "20")
        .env("TRUST_FORWARDED_FOR", "true")
        .env("RUST_LOG", "off")
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TRUSTED_PROXIES"), "{stderr}");
}

/// A value out of range, or not among the allowed ones, stops the start naming its
/// variable; nothing is silently raised to a minimum.
#[test]
fn bad_values_fail_at_start_naming_their_variable() {
    let data = tempfile::tempdir().expect("temp dir");
    for (variable, value) in [
        ("SESSION_IDLE_MINUTES", "0"),
        ("MAX_UNITS_PER_LINE", "0"),
        ("CATALOGUE_POLL_MS", "10"),
        ("PAYMENT_GATEWAY", "paypal"),
        ("CART_IDLE_DAYS", "1.5"),
        ("SHIPPING_RATES", "ES=cheap"),
        ("TRUSTED_PROXIES", "the-balancer"),
        ("SITE_PT_URL", "fantasias.example.pt"),
        ("STATIC_BASE_URL", "cdn.example.com/static"),
        ("DATABASE_WAIT_SECONDS", "soon"),
        ("INVOICE_ON", "delivered"),
        ("METRICS_BIND", "everywhere"),
        ("COMPTOIR_STATIC_DIR", "/nowhere/static"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .env_remove("DATABASE_URL")
            .env("COMPTOIR_DATA_DIR", data.path())
            .env("DEMO_PRODUCTS", "20")
            .env(variable, value)
            .env("RUST_LOG", "off")
            .output()
            .expect("the binary runs");
        assert!(!output.status.success(), "{variable}={value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(variable), "{variable}={value}: {stderr}");
    }
}

/// A variable set to nothing is unset, for every setting: the defaults apply (an
/// empty DATABASE_URL is the embedded database, an empty REDIS_URL no Redis).
#[test]
fn empty_variables_count_as_unset() {
    let data = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let empty = [
        ("DATABASE_URL", ""),
        ("REDIS_URL", ""),
        ("SMTP_URL", ""),
        ("SEARCH_URL", ""),
        ("CATALOGUE_POLL_MS", ""),
        ("SESSION_IDLE_MINUTES", ""),
        ("PAYMENT_GATEWAY", ""),
        ("TRUSTED_PROXIES", ""),
    ];
    let (shop, printed) = start_embedded_with(data.path(), port, &empty);
    drop(shop);
    assert!(printed.contains("Comptoir is open"), "{printed}");
}

/// Starts `comptoir` on the embedded database in `data`, waits until it is open, and
/// returns the child and everything it printed until then.
/// A shop started by a test, stopped when dropped: even when the test fails, it
/// leaves nothing running.
struct Shop(std::process::Child);

impl Drop for Shop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_embedded(data: &std::path::Path, port: u16) -> (Shop, String) {
    start_embedded_with(data, port, &[])
}

/// [`start_embedded`] with more environment variables.
fn start_embedded_with(
    data: &std::path::Path,
    port: u16,
    variables: &[(&str, &str)],
) -> (Shop, String) {
    use std::io::{BufRead, BufReader};
    let child = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .env_remove("DATABASE_URL")
        .envs(variables.iter().copied())
        .env("COMPTOIR_DATA_DIR", data)
        .env("DEMO_PRODUCTS", "50")
        .env("COMPTOIR_BIND", format!("127.0.0.1:{port}"))
        .env(
            "COMPTOIR_STATIC_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../static"),
        )
        .env("RUST_LOG", "off")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Stopped when the test ends, even when it fails before.
    let mut shop = Shop(child);
    let mut printed = String::new();
    let mut lines = BufReader::new(shop.0.stdout.take().expect("piped")).lines();
    let started = Instant::now();
    while !printed.contains("Comptoir is open") {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not open after 60 s: {printed}"
        );
        match lines.next() {
            Some(Ok(line)) => printed.push_str(&(line + "\n")),
            _ => panic!("comptoir exited before opening: {printed}"),
        }
    }
    // Keep reading the remaining site URLs.
    for _ in 0..4 {
        if let Some(Ok(line)) = lines.next() {
            printed.push_str(&(line + "\n"));
        }
    }
    (shop, printed)
}

fn get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("the shop listens");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("a response");
    response
}

/// A port free now, for a child process to bind soon. Chosen below Linux's
/// ephemeral range (32768 and up), where servers of other tests binding port 0
/// get theirs: one of them cannot take it between now and the child's start.
fn free_port() -> u16 {
    use std::hash::{BuildHasher, RandomState};
    let random = RandomState::new();
    (0u32..)
        .map(|attempt| 20_000 + (random.hash_one(attempt) % 12_000) as u16)
        .find(|port| std::net::TcpListener::bind(("127.0.0.1", *port)).is_ok())
        .expect("a free port")
}

#[test]
fn the_zero_setup_shop_seeds_itself_once_and_serves() {
    let data = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let (first, printed) = start_embedded(data.path(), port);
    assert!(printed.contains("first start"), "{printed}");
    assert!(
        printed.contains(&format!("es  http://127.0.0.1:{port}/es/")),
        "{printed}"
    );
    let home = get(port, "/es/");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("Disfraz de bruja para mujer"));
    drop(first);
    assert!(data.path().join("comptoir.sqlite").exists());

    let port = free_port();
    let metrics_port = free_port();
    let metrics_bind = format!("127.0.0.1:{metrics_port}");
    let (second, printed) =
        start_embedded_with(data.path(), port, &[("METRICS_BIND", &metrics_bind)]);
    assert!(
        !printed.contains("first start"),
        "the second start reuses the database: {printed}"
    );
    let product = get(port, "/fr/p/perruque-afro-multicolore");
    assert!(product.starts_with("HTTP/1.1 200"), "{product}");
    // Prometheus reads the replica on its own address; the public port has no
    // metrics. The request is counted as its answer leaves, which a busy machine
    // may schedule after the client has read it: the counter is awaited, and the
    // page asked again now and then (two CI runs, with every other test binary at
    // work, once showed no count after 30 s).
    let counted = r#"http_requests_total{route="/p/{key}",site="fr",status="2xx"} "#;
    let waited = Instant::now();
    let mut metrics = get(metrics_port, "/metrics");
    while !metrics.contains(counted) && waited.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(500));
        get(port, "/fr/p/perruque-afro-multicolore");
        metrics = get(metrics_port, "/metrics");
    }
    assert!(
        metrics.contains(counted),
        "{metrics}\nthe page's answer: {}",
        product.lines().take(12).collect::<Vec<_>>().join("\n")
    );
    assert!(metrics.contains(
        r#"http_request_duration_seconds_bucket{route="/p/{key}",site="fr",le="+Inf"} "#
    ));
    assert!(get(port, "/metrics").starts_with("HTTP/1.1 404"));
    drop(second);
}

#[test]
fn seeding_if_empty_never_replaces_a_catalogue() {
    let data = tempfile::tempdir().expect("temp dir");
    let seed = |products: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .env_remove("DATABASE_URL")
            .env("COMPTOIR_DATA_DIR", data.path())
            .env("RUST_LOG", "off")
            .args(["seed", "--if-empty", "--products", products])
            .output()
            .expect("the binary runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(seed("30").contains("seeded 30 products"));
    let again = seed("40");
    assert!(
        again.contains("the catalogue has products: left as it is"),
        "{again}"
    );
}

/// The container health check: 0 for a 2xx answer, non-zero with the status or the
/// failure otherwise, and never a database opened (none is configured here).
#[test]
fn probe_succeeds_only_on_a_2xx_answer() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("bound");
    std::thread::spawn(move || {
        for (answer, stream) in ["200 OK", "503 Service Unavailable"]
            .into_iter()
            .zip(listener.incoming())
        {
            let mut stream = stream.expect("a connection");
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
            let body = if answer.starts_with("200") {
                "ready 7\n"
            } else {
                "draining\n"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {answer}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let probe = || {
        Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
            .env("RUST_LOG", "off")
            .args(["probe", &format!("http://{address}/health/ready")])
            .output()
            .expect("the binary runs")
    };
    let ready = probe();
    assert!(ready.status.success(), "{ready:?}");
    assert_eq!(String::from_utf8_lossy(&ready.stdout), "200 OK ready 7\n");
    let draining = probe();
    assert!(!draining.status.success());
    assert!(
        String::from_utf8_lossy(&draining.stderr).contains("503 Service Unavailable draining"),
        "{draining:?}"
    );
    let nobody = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .args(["probe", "http://127.0.0.1:1/health/ready"])
        .output()
        .expect("the binary runs");
    assert!(!nobody.status.success());
}

/// An import writes the good products and lists the rows it left out (status 0);
/// `--strict` writes nothing unless every row is right (1); a file with no good row
/// imports nothing (2); a file that is no export is refused (1).
#[test]
fn imports_keep_the_good_rows_and_list_the_others() {
    let data = tempfile::tempdir().expect("temp dir");
    let comptoir = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .env_remove("DATABASE_URL")
            .env("COMPTOIR_DATA_DIR", data.path())
            .env("RUST_LOG", "off")
            .args(args)
            .output()
            .expect("the binary runs")
    };
    assert!(comptoir(&["seed", "--products", "20"]).status.success());
    let header = "sku,_store,_type,name,price,status,visibility,url_key,qty\n";
    let good = "CAPA-VIAJE,,simple,Capa de viaje,19.9900,1,4,capa-de-viaje,5.0000\n";
    let bad = "GORRO-VIAJE,,simple,Gorro de viaje,mucho,1,4,gorro-de-viaje,5.0000\n";
    let oversold = "MASCARA-VIAJE,,simple,Máscara de viaje,4.9900,1,4,mascara-de-viaje,-1.0000\n";
    let write = |name: &str, text: String| {
        let path = data.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let mixed = write("mixed.csv", format!("{header}{good}{bad}{oversold}"));
    let only_bad = write("bad.csv", format!("{header}{bad}"));
    let not_an_export = write("other.csv", "a,b\n1,2\n".to_owned());

    let strict = comptoir(&["import", "--strict", &mixed]);
    assert_eq!(strict.status.code(), Some(1));
    let said = String::from_utf8_lossy(&strict.stderr);
    assert!(
        said.contains("line 3:") && said.contains("nothing was imported"),
        "{said}"
    );

    let kept = comptoir(&["import", &mixed]);
    assert_eq!(kept.status.code(), Some(0), "{kept:?}");
    let said = String::from_utf8_lossy(&kept.stderr);
    assert!(
        said.contains("line 3:") && said.contains("1 rows left out"),
        "{said}"
    );
    assert!(
        said.contains("2 notes (how the file was read, rows imported with a change")
            && said.contains("line 1: prices read as including VAT")
            && said.contains("line 4: qty '-1.0000' of MASCARA-VIAJE is below zero"),
        "{said}"
    );
    let net = comptoir(&["import", "--magento-prices-include-tax", "false", &mixed]);
    assert_eq!(net.status.code(), Some(0), "{net:?}");
    assert!(String::from_utf8_lossy(&net.stderr).contains("line 1: prices read without VAT"));
    assert!(
        String::from_utf8_lossy(&kept.stdout).contains("2 products created"),
        "created now, so the strict run wrote nothing: {kept:?}"
    );

    let none = comptoir(&["import", &only_bad]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no row could be imported"));
    assert_eq!(comptoir(&["import", &not_an_export]).status.code(), Some(1));
}

/// A Magento database that cannot be reached is told in one line naming its host
/// and database, never its password, before Comptoir's own store is opened (the
/// data folder is never created).
#[test]
fn an_unreachable_magento_database_is_told_in_one_line() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_comptoir"))
        .env("COMPTOIR_DATA_DIR", data.path().join("never"))
        .env("RUST_LOG", "off")
        .args([
            "import-magento",
            "mysql://shop:hunter2@127.0.0.1:1/magento",
            "--dry-run",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("127.0.0.1") && lines[0].contains("magento"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"));
    assert!(!data.path().join("never").exists(), "nothing opened");
}

/// The load model refuses what it must not load, a profile that makes no sense
/// and a target that does not answer, each in one clear line before any load.
#[test]
fn the_load_model_refuses_bad_targets_and_profiles_before_any_load() {
    let folder = tempfile::tempdir().unwrap();
    let profile = folder.path().join("campaign.toml");
    std::fs::write(&profile, "[sites]\nes = 0.5\nde = 0.5\n").unwrap();
    let profile = profile.to_str().unwrap();
    for (args, says) in [
        (
            vec![
                "load",
                "--target",
                "https://tienda.example.es",
                "--duration",
                "5",
            ],
            "only the loopback",
        ),
        (
            vec![
                "sizing",
                "--target",
                "http://127.0.0.1:1",
                "--profile",
                profile,
            ],
            "sites.de: is not a site",
        ),
        (
            vec!["load", "--target", "http://127.0.0.1:1", "--duration", "5"],
            "http://127.0.0.1:1 does not answer",
        ),
        (
            vec![
                "sizing",
                "--target",
                "http://127.0.0.1:1",
                "--replicas",
                "2",
                "--metrics",
                "http://127.0.0.1:1/metrics",
            ],
            "--replicas 2 but --metrics for 1",
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .env("RUST_LOG", "off")
            .args(&args)
            .output()
            .expect("the binary runs");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

/// Promotions from a file: a wrong row is named with its line and column and nothing
/// is written; a right file is imported whole, and exported back.
#[test]
fn promotions_are_imported_whole_or_not_at_all_and_exported() {
    let data = tempfile::tempdir().unwrap();
    let comptoir = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .env_remove("DATABASE_URL")
            .env("COMPTOIR_DATA_DIR", data.path())
            .env("RUST_LOG", "off")
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let header = "name,sites,code,percent_off,amount_off,free_shipping,min_subtotal,starts_at,ends_at,uses_total,uses_per_customer";
    let wrong = data.path().join("wrong.csv");
    std::fs::write(
        &wrong,
        format!("{header}\nCarnaval,es,CARNAVAL,15,,no,,,,,\nMal,es,,150,,no,,,,,\n"),
    )
    .unwrap();
    let refused = comptoir(&["promotions", "import", wrong.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("line 3: percent_off: '150'"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    let right = data.path().join("right.csv");
    std::fs::write(
        &right,
        format!("{header}\nCarnaval,es|it,CARNAVAL,15,,no,30.00,2027-02-01,2027-02-18,500,1\nEnvío,fr,,,,yes,39,,,,\n"),
    )
    .unwrap();
    let imported = comptoir(&["promotions", "import", right.to_str().unwrap()]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(String::from_utf8_lossy(&imported.stdout).contains("2 promotion rules imported"));
    let again = comptoir(&["promotions", "import", right.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1), "the code is taken");
    let exported = comptoir(&["promotions", "export"]);
    let text = String::from_utf8_lossy(&exported.stdout);
    assert!(text.starts_with(header), "{text}");
    assert!(
        text.contains(
            "Carnaval,es|it,CARNAVAL,15,,no,30.00,2027-02-01T00:00:00,2027-02-18T00:00:00,500,1"
        ),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3);
}

/// `comptoir invoices records` writes the company's chain as JSON lines: from them
/// alone anyone recomputes every footprint and finds each record naming the one
/// before. Here an invoice, the rectifying invoice of its refund, that one
/// registered again with corrected data, then annulled as issued by mistake.
#[test]
fn the_records_written_recompute_from_their_own_fields() {
    use comptoir_store::{InvoiceAction, OrderChange, OrderChangeOutcome, StoreConfig};
    use sha2::{Digest, Sha256};

    let data = tempfile::tempdir().unwrap();
    let comptoir = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_comptoir"))
            .env_remove("DATABASE_URL")
            .env("COMPTOIR_DATA_DIR", data.path())
            .env("RUST_LOG", "off")
            .args(args)
            .output()
            .expect("the binary runs")
    };
    assert!(comptoir(&["seed", "--products", "20"]).status.success());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = comptoir_store::open(&StoreConfig {
            database_url: None,
            data_dir: data.path().to_owned(),
            max_connections: 2,
            connect_wait: Duration::ZERO,
            invoice_on: comptoir_store::InvoiceMoment::Paid,
        })
        .await
        .unwrap();
        let placed = store
            .place_order(&balloons_by_transfer(), &|_| None)
            .await
            .unwrap();
        let by = comptoir_store::Actor::command_line();
        for change in [
            OrderChange::MarkPaid,
            OrderChange::Refund {
                amount_cents: 399,
                reason: "un globo roto".to_owned(),
            },
        ] {
            let outcome = store.change_order(placed.id, &change, &by, None).await;
            assert_eq!(outcome.unwrap(), OrderChangeOutcome::Done);
        }
        let invoices = store.invoices_of_order(placed.id).await.unwrap();
        let rectifying = invoices[1].number.text();
        let corrected = store.register_correction(&rectifying, &by).await.unwrap();
        assert_eq!(corrected, InvoiceAction::Done);
        let annulled = store.annul_invoice(&rectifying, &by).await.unwrap();
        assert_eq!(annulled, InvoiceAction::Done);
    });
    let out = data.path().join("records.jsonl");
    let written = comptoir(&["invoices", "records", "--out", out.to_str().unwrap()]);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let mut previous = String::new();
    for line in text.lines() {
        let record: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(line).unwrap();
        let field = |name: &str| record[name].as_str().unwrap().to_owned();
        assert_eq!(field("HuellaAnterior"), previous, "names the record before");
        let hashed = match field("TipoRegistro").as_str() {
            "Alta" => format!(
                "IDEmisorFactura={}&NumSerieFactura={}&FechaExpedicionFactura={}&TipoFactura={}\
                 &CuotaTotal={}&ImporteTotal={}&Huella={}&FechaHoraHusoGenRegistro={}",
                field("IDEmisorFactura"),
                field("NumSerieFactura"),
                field("FechaExpedicionFactura"),
                field("TipoFactura"),
                field("CuotaTotal"),
                field("ImporteTotal"),
                field("HuellaAnterior"),
                field("FechaHoraHusoGenRegistro"),
            ),
            "Anulacion" => format!(
                "IDEmisorFacturaAnulada={}&NumSerieFacturaAnulada={}\
                 &FechaExpedicionFacturaAnulada={}&Huella={}&FechaHoraHusoGenRegistro={}",
                field("IDEmisorFacturaAnulada"),
                field("NumSerieFacturaAnulada"),
                field("FechaExpedicionFacturaAnulada"),
                field("HuellaAnterior"),
                field("FechaHoraHusoGenRegistro"),
            ),
            other => panic!("a record of type {other}"),
        };
        let footprint: String = Sha256::digest(hashed.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02X}"))
            .collect();
        assert_eq!(field("Huella"), footprint, "{line}");
        previous = footprint;
    }
    let kinds: Vec<(String, String)> = text
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = |name: &str| record[name].as_str().unwrap_or("").to_owned();
            (
                text("TipoRegistro"),
                text("TipoFactura") + &text("Subsanacion"),
            )
        })
        .collect();
    let kinds: Vec<(&str, &str)> = kinds
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Alta", "F2N"),
            ("Alta", "R5N"),
            ("Alta", "R5S"),
            ("Anulacion", "")
        ]
    );
    assert!(text.contains("\"ImporteTotal\":\"-3.99\""), "{text}");
}

/// Three bottles of fake blood at 3,99 €, to be paid by bank transfer.
fn balloons_by_transfer() -> comptoir_store::NewOrder {
    let sku = comptoir_domain::Sku::parse("MAQ-SANGRE").unwrap();
    comptoir_store::NewOrder {
        site: comptoir_domain::SiteCode::Es,
        idempotency_key: "cli-invoice-records-0001".to_owned(),
        email: "ana@example.es".to_owned(),
        customer_id: None,
        ship_to: comptoir_store::ShippingAddress {
            name: "Ana García".to_owned(),
            street: "Calle Mayor 1".to_owned(),
            postcode: "28013".to_owned(),
            city: "Madrid".to_owned(),
            country: "ES".to_owned(),
        },
        phone: "+34612345678".to_owned(),
        ship_region: String::new(),
        invoice: None,
        shipping_method: "standard".to_owned(),
        payment_method: "bank-transfer".to_owned(),
        client_address: None,
        lines: vec![comptoir_store::NewOrderLine {
            sku,
            name: "Sangre falsa".to_owned(),
            unit_cents: 399,
            quantity: 3,
            gross_cents: 1197,
            discount_cents: 0,
            net_cents: 989,
            vat_cents: 208,
            vat_rate_bp: 2100,
        }],
        items_cents: 1197,
        discount_cents: 0,
        shipping_cents: 0,
        vat_cents: 208,
        total_cents: 1197,
        outside_eu_vat: false,
        terms: None,
        promotions: Vec::new(),
    }
}

/// Records sent to AEAT need the company's certificate: a back office told to send
/// them refuses to start without it, with a file it cannot read or open, or without
/// its password, naming the variable and never printing the password.
#[test]
fn sending_records_without_a_usable_certificate_is_refused_at_start() {
    let data = tempfile::tempdir().expect("temp dir");
    let junk = data.path().join("company.p12");
    std::fs::write(&junk, b"not a PKCS#12 file").expect("written");
    let junk = junk.to_str().expect("a UTF-8 path");
    let missing = data.path().join("missing.p12");
    let missing = missing.to_str().expect("a UTF-8 path");
    let (file, password) = ("VERIFACTU_CERTIFICATE", "VERIFACTU_CERTIFICATE_PASSWORD");
    let cases = [
        (vec![], "VERIFACTU_CERTIFICATE is not set"),
        (
            vec![(file, missing), (password, "hunter2")],
            "VERIFACTU_CERTIFICATE: cannot read",
        ),
        (
            vec![(file, junk)],
            "VERIFACTU_CERTIFICATE_PASSWORD is not set",
        ),
        (
            vec![(file, junk), (password, "hunter2")],
            "the certificate cannot be opened",
        ),
    ];
    for (settings, expected) in cases {
        let mut command = Command::new(env!("CARGO_BIN_EXE_backoffice"));
        command
            .env_remove("DATABASE_URL")
            .env_remove(file)
            .env_remove(password)
            .env("COMPTOIR_DATA_DIR", data.path())
            .env("BACKOFFICE_BIND", "127.0.0.1:0")
            .env("VERIFACTU_ENDPOINT", "test")
            .env(
                "COMPTOIR_STATIC_DIR",
                concat!(env!("CARGO_MANIFEST_DIR"), "/../../static"),
            )
            .env("RUST_LOG", "off")
            .envs(settings);
        let output = command.output().expect("the binary runs");
        assert!(!output.status.success(), "{expected}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{stderr}");
    }
}
