//! Customers brought from Magento 1.9 (a realistic export in `data/`): imported
//! with their address books, and each logs in with their old password, which is
//! then replaced by an argon2id hash. Bad rows are the reader's unit tests.

use comptoir_e2e::{Shopper, TestStore, on_both_backends, spawn_app};
use comptoir_store::Actor;

on_both_backends! {
    magento_customers_log_in_with_their_old_passwords,
    a_short_magento_password_is_upgraded_at_the_first_login_too,
}

const EXPORT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/magento_customers.csv");

async fn magento_customers_log_in_with_their_old_passwords(t: TestStore) {
    let read =
        comptoir_import::magento_customers::read(std::fs::File::open(EXPORT).unwrap()).unwrap();
    assert_eq!(read.notes.len(), 1, "the address in Germany is left out");
    let file = read.all_or_nothing().unwrap();
    assert_eq!(file.customers.len(), 3);
    let by = Actor::command_line();
    let report = t
        .store
        .import_customers(&file.customers, &by)
        .await
        .unwrap();
    assert_eq!((report.created, report.already_there), (3, 0));
    let again = t
        .store
        .import_customers(&file.customers, &by)
        .await
        .unwrap();
    assert_eq!(
        (again.created, again.already_there),
        (0, 3),
        "importing twice changes nothing"
    );

    let lucia = t
        .store
        .customer_by_email("lucia.fernandez@example.es")
        .await
        .unwrap()
        .unwrap();
    let addresses = t.store.addresses(lucia.id).await.unwrap();
    assert_eq!(addresses.len(), 2);
    assert_eq!(
        addresses[0].address.street,
        "Calle Sierpes 12, 3º izquierda"
    );
    assert_eq!(addresses[1].address.postcode, "35001");

    let app = spawn_app(t).await;
    for (email, password) in [
        ("lucia.fernandez@example.es", "carnaval2019"),
        ("marie.dubois@example.fr", "carnaval2020"),
    ] {
        let shopper = Shopper::new(&app.address);
        assert_eq!(shopper.log_in(email, "not-the-password").await.status, 401);
        assert_eq!(
            shopper.log_in(email, password).await.status,
            303,
            "{email} with the old password"
        );
        let rehashed = app
            .db
            .store
            .customer_by_email(email)
            .await
            .unwrap()
            .unwrap();
        assert!(
            rehashed.password_hash.starts_with("$argon2id$"),
            "replaced at first login"
        );
        let later = Shopper::new(&app.address);
        assert_eq!(
            later.log_in(email, password).await.status,
            303,
            "and the same password still works"
        );
    }
    let joao = Shopper::new(&app.address);
    assert_eq!(
        joao.log_in("joao.silva@example.pt", "").await.status,
        401,
        "no hash: a reset is needed"
    );
}

/// Magento allowed 6-character passwords; this shop asks 8 of new ones. A customer
/// whose old password is short still logs in with it, and its salted MD5 hash is
/// replaced by an argon2id one all the same.
async fn a_short_magento_password_is_upgraded_at_the_first_login_too(t: TestStore) {
    let export = std::fs::read_to_string(EXPORT).unwrap();
    let header = export.lines().next().unwrap();
    let marie = export
        .lines()
        .find(|line| line.starts_with("marie.dubois@example.fr"))
        .unwrap();
    // md5("zz" + "capa66"), salt "zz": a 6-character password.
    let short = marie
        .replace("marie.dubois@example.fr", "pablo@example.es")
        .replace(
            "35f27a97fcd0e86fc368859e60dd4352d9ab45e347dc56a0d1c339277a450c2a:Xy7QpR2sL9mN4vB8cD1fG6hJ3kZ5wT0e",
            "1010781ca54dba6b2e235972a195c682:zz",
        );
    let file = comptoir_import::magento_customers::read(format!("{header}\n{short}\n").as_bytes())
        .unwrap()
        .all_or_nothing()
        .unwrap();
    t.store
        .import_customers(&file.customers, &Actor::command_line())
        .await
        .unwrap();
    let app = spawn_app(t).await;
    let shopper = Shopper::new(&app.address);
    assert_eq!(
        shopper.log_in("pablo@example.es", "capa66").await.status,
        303
    );
    let account = app
        .db
        .store
        .customer_by_email("pablo@example.es")
        .await
        .unwrap()
        .unwrap();
    assert!(
        account.password_hash.starts_with("$argon2id$"),
        "{}",
        account.password_hash
    );
    let later = Shopper::new(&app.address);
    assert_eq!(later.log_in("pablo@example.es", "capa66").await.status, 303);
}
