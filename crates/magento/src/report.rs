//! What a migration read and did: counts per kind of entity, and every problem
//! (something left out) and note (something migrated with a change), each naming
//! its entity and Magento id.

use std::fmt;

/// Something the migration says about one entity of the old shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The entity and its Magento id: `product 30 (PACK-HALLOWEEN)`.
    pub entity: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.entity, self.message)
    }
}

/// How many entities of one kind were read and what became of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub kind: &'static str,
    pub read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Left out: the problems say why.
    pub skipped: usize,
}

/// The whole report of a migration.
#[derive(Debug, Default)]
pub struct Report {
    pub counts: Vec<Counts>,
    /// What was left out, and why.
    pub problems: Vec<Problem>,
    /// What was migrated with a change, or is worth knowing.
    pub notes: Vec<Problem>,
}

impl Report {
    pub fn problem(&mut self, entity: &str, message: String) {
        self.problems.push(Problem {
            entity: entity.to_owned(),
            message,
        });
    }

    pub fn note(&mut self, entity: &str, message: impl Into<String>) {
        self.notes.push(Problem {
            entity: entity.to_owned(),
            message: message.into(),
        });
    }

    /// The counts of `kind`, added if new.
    pub fn counts(&mut self, kind: &'static str) -> &mut Counts {
        if let Some(at) = self.counts.iter().position(|counts| counts.kind == kind) {
            return &mut self.counts[at];
        }
        self.counts.push(Counts {
            kind,
            ..Counts::default()
        });
        self.counts.last_mut().expect("just pushed")
    }

    /// The problems and notes about one entity (`product 10`), for tests and
    /// staff looking one up.
    pub fn about<'a>(&'a self, entity: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.problems
            .iter()
            .chain(&self.notes)
            .filter(move |problem| {
                problem.entity == entity || problem.entity.starts_with(&format!("{entity} ("))
            })
    }

    /// Every problem and note as CSV (`what,entity,message`), for staff to sort
    /// and filter in a spreadsheet (cells a spreadsheet would run are neutralised).
    pub fn write_csv(&self, to: impl std::io::Write) -> csv::Result<()> {
        let mut writer = csv::Writer::from_writer(to);
        writer.write_record(["what", "entity", "message"])?;
        let problems = self.problems.iter().map(|problem| ("left out", problem));
        let notes = self.notes.iter().map(|note| ("note", note));
        for (what, said) in problems.chain(notes) {
            writer.write_record([
                what,
                &comptoir_import::spreadsheet::neutralised(&said.entity),
                &comptoir_import::spreadsheet::neutralised(&said.message),
            ])?;
        }
        writer.flush()?;
        Ok(())
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<22} {:>7} read {:>7} created {:>7} updated {:>7} unchanged {:>7} left out",
            self.kind, self.read, self.created, self.updated, self.unchanged, self.skipped
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_report_is_a_spreadsheet() {
        let mut report = Report::default();
        report.problem("product 40", "without a SKU: left out".to_owned());
        report.note("product 10 (BRUJA)", "=HYPERLINK(\"x\") in its name");
        let mut file = Vec::new();
        report.write_csv(&mut file).unwrap();
        assert_eq!(
            String::from_utf8(file).unwrap(),
            "what,entity,message\n\
             left out,product 40,without a SKU: left out\n\
             note,product 10 (BRUJA),\"'=HYPERLINK(\"\"x\"\") in its name\"\n"
        );
    }
}
