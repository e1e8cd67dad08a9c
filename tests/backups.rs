//! The restore drill: a shop with customers and orders is backed up with
//! `scripts/backup.sh`, restored with `scripts/restore.sh` into a new database, and
//! every order and customer is found there, with the media files.

use std::process::Command;

use comptoir_domain::customer::NewCustomer;
use comptoir_e2e::{Backend, empty_postgres_database, fresh_store, test_order};
use sqlx::{Connection, PgConnection};

#[tokio::test]
async fn a_backup_restores_every_order_customer_and_image() {
    let Some(shop) = fresh_store(Backend::Postgres).await else {
        return;
    };
    for n in 0..5 {
        let order = test_order(&format!("drill{n}"), &[("DIS-BRUJA-MUJER-M", 1)]);
        shop.store
            .place_order(&order, &|_| None)
            .await
            .expect("an order is placed");
    }
    for name in ["Ana", "Luís", "Chiara"] {
        let customer = NewCustomer {
            email: format!("{}@example.es", name.to_lowercase()),
            name: name.to_owned(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        };
        shop.store
            .create_customer(&customer)
            .await
            .expect("a customer");
    }
    std::fs::write(shop.media_dir().join("upload-original.jpg"), b"jpeg bytes").unwrap();

    let backups = tempfile::tempdir().unwrap();
    let backup = Command::new(script("backup.sh"))
        .arg(backups.path())
        .env("DATABASE_URL", &shop.url)
        .env("MEDIA_DIR", shop.media_dir())
        .output()
        .expect("the backup script runs");
    assert!(backup.status.success(), "{backup:?}");
    let written = String::from_utf8(backup.stdout).unwrap();
    let files: Vec<&str> = written.lines().collect();
    assert!(
        files[0].ends_with(".dump") && files[1].ends_with(".tar"),
        "{written}"
    );

    let restored = empty_postgres_database()
        .await
        .expect("PostgreSQL answered");
    let media = tempfile::tempdir().unwrap();
    let restore = |target: &str| {
        Command::new(script("restore.sh"))
            .args([files[0], target, files[1]])
            .arg(media.path())
            .output()
            .expect("the restore script runs")
    };
    let first = restore(&restored.url);
    assert!(first.status.success(), "{first:?}");
    let again = restore(&restored.url);
    assert!(!again.status.success(), "a shop is never written over");
    assert!(String::from_utf8_lossy(&again.stderr).contains("restore into an empty one"));

    let everything = "SELECT (SELECT string_agg(number || ' ' || total_cents || ' ' || email, ',' ORDER BY number) FROM orders), \
                      (SELECT string_agg(email || ' ' || name, ',' ORDER BY email) FROM customers), \
                      (SELECT count(*) FROM products)";
    let read = |url: String| async move {
        let mut connection = PgConnection::connect(&url).await.unwrap();
        sqlx::query_as::<_, (Option<String>, Option<String>, i64)>(everything)
            .fetch_one(&mut connection)
            .await
            .unwrap()
    };
    let (orders, customers, products) = read(shop.url.clone()).await;
    assert_eq!(orders.as_deref().map(|o| o.split(',').count()), Some(5));
    assert_eq!(customers.as_deref().map(|c| c.split(',').count()), Some(3));
    assert_eq!(
        read(restored.url.clone()).await,
        (orders, customers, products)
    );
    assert_eq!(
        std::fs::read(media.path().join("upload-original.jpg")).unwrap(),
        b"jpeg bytes"
    );
}

fn script(name: &str) -> String {
    format!("{}/../scripts/{name}", env!("CARGO_MANIFEST_DIR"))
}
