//! `comptoir promotions import|export|codes`: promotion rules from and to the
//! documented CSV file (`comptoir_import::promotions`), and a batch of unique codes
//! for a rule that takes generated ones.

use std::path::Path;

use anyhow::Context;
use comptoir_domain::promotions::{BatchSpec, Trigger};
use comptoir_store::{Actor, PromotionOutcome, Store};

/// Reads the whole file, then creates every rule in one transaction, or none: a
/// wrong row is listed with its line and column and nothing is written.
pub(crate) async fn import(store: &dyn Store, path: &Path) -> anyhow::Result<()> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let read = comptoir_import::promotions::read(std::io::BufReader::new(file))
        .with_context(|| format!("cannot read {}", path.display()))?;
    for note in &read.notes {
        eprintln!("{note}");
    }
    let rules = match read.all_or_nothing() {
        Ok(rules) => rules,
        Err(rows) => {
            for row in &rows {
                eprintln!("{row}");
            }
            anyhow::bail!("{} rows are wrong: nothing was imported", rows.len());
        }
    };
    match store
        .create_promotions(&rules, &Actor::command_line())
        .await?
    {
        PromotionOutcome::Created(ids) => {
            println!("{} promotion rules imported (ids {:?})", ids.len(), ids);
            Ok(())
        }
        PromotionOutcome::CodeTaken(code) => {
            anyhow::bail!("the code {code} belongs to another rule: nothing was imported")
        }
    }
}

/// Every rule, as a promotions file, to `out` or the standard output.
pub(crate) async fn export(store: &dyn Store, out: Option<&Path>) -> anyhow::Result<()> {
    let rules = store.promotion_rules().await?;
    match out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            comptoir_import::promotions::write(&rules, file)?;
            eprintln!(
                "{} promotion rules written to {}",
                rules.len(),
                path.display()
            );
        }
        None => comptoir_import::promotions::write(&rules, std::io::stdout().lock())?,
    }
    Ok(())
}

/// Generates `count` unique codes for rule `rule_id` (one that takes generated
/// codes), stores them and writes them to `out` as a one-column file.
pub(crate) async fn codes(
    store: &dyn Store,
    rule_id: i64,
    spec: (u32, usize, &str),
    out: &Path,
) -> anyhow::Result<()> {
    let (count, length, prefix) = spec;
    let spec = BatchSpec::parse(count, length, prefix)?;
    let rule = store
        .promotion_rules()
        .await?
        .into_iter()
        .find(|rule| rule.id == rule_id)
        .with_context(|| format!("no promotion rule {rule_id}"))?;
    anyhow::ensure!(
        rule.trigger == Trigger::GeneratedCodes,
        "rule {rule_id} ({}) does not take generated codes",
        rule.name(comptoir_domain::Locale::Es)
    );
    let codes = spec.generate(|bytes| {
        getrandom::fill(bytes).expect("the operating system gives random bytes");
    });
    let added = store
        .add_promotion_codes(rule_id, &codes, &Actor::command_line())
        .await?;
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot write {}", out.display()))?;
    comptoir_import::promotions::write_codes(&added, file)?;
    println!(
        "{} codes added to rule {rule_id}, written to {}",
        added.len(),
        out.display()
    );
    // A code drawn twice across batches is skipped, never given to two rules.
    if added.len() < codes.len() {
        println!(
            "{} codes existed already: run again for more",
            codes.len() - added.len()
        );
    }
    Ok(())
}
