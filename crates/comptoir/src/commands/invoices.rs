//! `comptoir invoices records`: the company's VERI*FACTU records, in chain order,
//! as JSON lines (`docs/invoicing.md`).

use std::path::Path;

use anyhow::Context;
use comptoir_domain::invoicing::verifactu::Record;
use comptoir_store::Store;

/// Writes every record to `out` (standard output without), one flat JSON object of
/// strings per line, its values formatted exactly as they enter its footprint.
pub(crate) async fn records(store: &dyn Store, out: Option<&Path>) -> anyhow::Result<()> {
    let records = store.verifactu_records().await?;
    let text: String = records.iter().map(json_line).collect();
    match out {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} records written to {}", records.len(), path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// `{"TipoRegistro":"Alta",…,"Huella":"3C46…"}` and a line end.
fn json_line(record: &Record) -> String {
    let fields: Vec<String> = record
        .export_fields()
        .into_iter()
        .map(|(name, value)| {
            format!(
                "{}:{}",
                serde_json::Value::from(name),
                serde_json::Value::from(value)
            )
        })
        .collect();
    format!("{{{}}}\n", fields.join(","))
}
