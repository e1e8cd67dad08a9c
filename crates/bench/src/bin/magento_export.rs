//! Writes the demo catalogue as a Magento 1.9 product export
//! (`comptoir_bench::magento_export`), with what real exports hold after every
//! thousandth product when `--quirks`. For measuring the import of a whole shop;
//! the categories are those `comptoir seed` creates.
//!
//! Usage: `magento-export PRODUCTS [--quirks] > export.csv`

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let products: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .ok_or("usage: magento-export PRODUCTS [--quirks]")?;
    let quirks = std::env::args().any(|arg| arg == "--quirks");
    let catalogue = comptoir_demo::generate(products);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    comptoir_bench::magento_export::write_export(&catalogue, &mut out, quirks)?;
    out.flush()?;
    Ok(())
}
