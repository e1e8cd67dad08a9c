//! Fills a new MySQL or MariaDB database with the demo catalogue as a running
//! Magento 1.9 shop holds it (`comptoir_bench::magento_db`), for measuring
//! `comptoir import-magento` on a whole shop. The database must not exist.
//!
//! Usage: `magento-db mysql://root@127.0.0.1:3306/magento_bench PRODUCTS [CUSTOMERS]`

use std::time::Instant;

use sqlx::{Connection, MySqlConnection};

const USAGE: &str = "usage: magento-db MYSQL_URL PRODUCTS [CUSTOMERS]";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or(USAGE)?;
    let products: usize = args.next().and_then(|n| n.parse().ok()).ok_or(USAGE)?;
    let customers: usize = args.next().map_or(Ok(products / 10), |n| n.parse())?;
    let (server, database) = url.rsplit_once('/').ok_or(USAGE)?;
    let mut admin = MySqlConnection::connect(server).await?;
    let create = format!(
        "CREATE DATABASE `{}` CHARACTER SET utf8",
        database.replace('`', "")
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(create))
        .execute(&mut admin)
        .await?;
    let mut connection = MySqlConnection::connect(&url).await?;
    let started = Instant::now();
    let catalogue = comptoir_demo::generate(products);
    let written = comptoir_bench::magento_db::fill(&mut connection, &catalogue, customers).await?;
    println!(
        "{} categories, {} products (children included), {} URL rewrites, {} customers, {} orders written in {:.1} s",
        written.categories,
        written.products,
        written.rewrites,
        written.customers,
        written.orders,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
