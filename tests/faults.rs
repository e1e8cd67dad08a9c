//! The shop when what it depends on fails: Redis going away while shoppers browse.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use comptoir_e2e::{Backend, Shopper, fresh_store, spawn_app_configured};
use comptoir_storefront::StorefrontConfig;

/// A Redis server of this test's own, stopped when dropped.
struct OwnRedis {
    port: u16,
    process: Option<Child>,
}

impl OwnRedis {
    /// Starts one on a free port; `None` when redis-server is not installed (and
    /// COMPTOIR_REQUIRE_REDIS is not set).
    fn start() -> Option<OwnRedis> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut redis = OwnRedis {
            port,
            process: None,
        };
        match redis.restart() {
            Ok(()) => Some(redis),
            Err(error) if std::env::var("COMPTOIR_REQUIRE_REDIS").is_ok_and(|v| v == "1") => {
                panic!("redis-server is required (COMPTOIR_REQUIRE_REDIS=1): {error}")
            }
            Err(error) => {
                eprintln!("\n*** SKIPPED: no redis-server to stop and start ({error}) ***\n");
                None
            }
        }
    }

    fn restart(&mut self) -> std::io::Result<()> {
        let process = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()?;
        self.process = Some(process);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "Redis did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Redis down: catalogue pages still render, the cart and the login say in the
/// shopper's language that they are unavailable for a moment (503, quickly), and the
/// replica serves carts again by itself once Redis is back.
#[tokio::test]
async fn with_redis_down_pages_render_carts_say_unavailable_and_recover() {
    let Some(mut redis) = OwnRedis::start() else {
        return;
    };
    let db = fresh_store(Backend::Sqlite).await.expect("SQLite");
    let url = redis.url();
    let app = spawn_app_configured(db, |_, mut config: StorefrontConfig| {
        config.shop.redis_url = Some(comptoir_web::Secret::new(url));
        config
    })
    .await;
    let shopper = Shopper::new(&app.address);
    let product = "/es/p/disfraz-de-bruja-para-mujer";
    shopper.get(product).await;
    let added = shopper
        .post(
            "/es/cart/add",
            &[("variant", "DIS-BRUJA-MUJER-M"), ("quantity", "1")],
        )
        .await;
    assert_eq!(added.status, 303);

    redis.stop();
    assert_eq!(
        shopper.get(product).await.status,
        200,
        "pages need no Redis"
    );
    assert_eq!(shopper.get("/es/c/halloween").await.status, 200);
    for (path, language_text) in [
        ("/es/cart", "Servicio no disponible por un momento"),
        ("/es/account/login", "Servicio no disponible por un momento"),
        ("/fr/cart", "Service momentanément indisponible"),
    ] {
        let started = Instant::now();
        let page = shopper.get(path).await;
        assert_eq!(page.status, 503, "{path}");
        assert!(page.body.contains(language_text), "{path}: {}", page.body);
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{path} took {:?}: a shopper must not wait",
            started.elapsed()
        );
    }

    redis.restart().expect("Redis starts again");
    let started = Instant::now();
    loop {
        let cart = shopper.get("/es/cart").await;
        if cart.status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the replica did not recover: {}",
            cart.status
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let added = shopper
        .post(
            "/es/cart/add",
            &[("variant", "DIS-BRUJA-MUJER-M"), ("quantity", "1")],
        )
        .await;
    assert_eq!(added.status, 303, "carts work again");
}
