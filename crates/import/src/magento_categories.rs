//! The categories a Magento export names (`_category`, a path of admin names under
//! `_root_category`) matched to the catalogue's tree: by the exact path, else by
//! the path's URL keys (`Disfraces/adultos` is `Disfraces/Adultos`). A path the
//! tree lacks is created, with its missing parents, under the root.

use std::collections::HashMap;

use comptoir_domain::import::{CategoryRef, NewCategory};
use comptoir_domain::slug::{is_url_key, slugify};
use comptoir_domain::{CategoryId, PerLocale};

use crate::RowError;

/// The catalogue's categories and those the file adds.
pub(crate) struct CategoryPaths<'a> {
    existing: &'a HashMap<String, CategoryId>,
    /// Every category, existing or new, by its path's URL keys (`disfraces/adultos`).
    by_keys: HashMap<String, CategoryRef>,
    new: Vec<NewCategory>,
}

impl<'a> CategoryPaths<'a> {
    /// `existing`: the catalogue's categories by their path of Spanish names.
    pub(crate) fn new(existing: &'a HashMap<String, CategoryId>) -> Self {
        let by_keys = existing
            .iter()
            .map(|(path, id)| (path_keys(&names(path)), CategoryRef::Existing(*id)))
            .collect();
        CategoryPaths {
            existing,
            by_keys,
            new: Vec::new(),
        }
    }

    /// The category `path` names, or `None` for a path without a name. One the tree
    /// lacks is added (with its missing parents), noted on `line`, the first to
    /// name it.
    pub(crate) fn place(
        &mut self,
        path: &str,
        line: u64,
        notes: &mut Vec<RowError>,
    ) -> Option<CategoryRef> {
        let names = names(path);
        let mut parent = None;
        for depth in 1..=names.len() {
            let here = &names[..depth];
            if let Some(found) = self.find_names(here) {
                parent = Some(found);
                continue;
            }
            let name = here[depth - 1];
            let slug = slugify(name);
            let url_key = if is_url_key(&slug) {
                slug
            } else {
                "category".to_owned()
            };
            let path = here.join("/");
            notes.push(RowError {
                line,
                message: format!(
                    "category '{path}' created (named '{name}' in every language: translate it in the back office)"
                ),
            });
            let created = CategoryRef::New(self.new.len());
            self.by_keys.insert(path_keys(here), created);
            self.new.push(NewCategory {
                parent,
                names: PerLocale::from_fn(|_| name.to_owned()),
                url_keys: PerLocale::from_fn(|_| url_key.clone()),
                meta: PerLocale::default(),
                path,
            });
            parent = Some(created);
        }
        parent
    }

    /// The category `path` names, if the tree has it or the file adds it.
    pub(crate) fn find(&self, path: &str) -> Option<CategoryRef> {
        self.find_names(&names(path))
    }

    fn find_names(&self, names: &[&str]) -> Option<CategoryRef> {
        if names.is_empty() {
            return None;
        }
        match self.existing.get(&names.join("/")) {
            Some(id) => Some(CategoryRef::Existing(*id)),
            None => self.by_keys.get(&path_keys(names)).copied(),
        }
    }

    /// The categories to create, parents first.
    pub(crate) fn into_new(self) -> Vec<NewCategory> {
        self.new
    }
}

/// A path's names, trimmed, empty ones (`Disfraces//Adultos`) skipped.
pub(crate) fn names(path: &str) -> Vec<&str> {
    path.split('/')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect()
}

/// A path's names as URL keys (`disfraces/adultos`); a name without letters or
/// digits stays as it is, so that it matches only itself.
fn path_keys(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| {
            let key = slugify(name);
            if key.is_empty() {
                (*name).to_owned()
            } else {
                key
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use comptoir_domain::Locale;

    use super::*;

    #[test]
    fn missing_paths_are_created_with_their_parents_once() {
        let existing: HashMap<String, CategoryId> = [
            ("Disfraces".to_owned(), CategoryId(1)),
            ("Pelucas de colores".to_owned(), CategoryId(2)),
        ]
        .into();
        let mut paths = CategoryPaths::new(&existing);
        let mut notes = Vec::new();
        assert_eq!(
            paths.place("Disfraces", 2, &mut notes),
            Some(CategoryRef::Existing(CategoryId(1)))
        );
        assert_eq!(
            paths.place("pelucas de Colores/", 2, &mut notes),
            Some(CategoryRef::Existing(CategoryId(2))),
            "the same URL keys are the same category"
        );
        assert_eq!(
            paths.place("Disfraces/Adultos", 3, &mut notes),
            Some(CategoryRef::New(0))
        );
        assert_eq!(
            paths.place("Fiestas/Halloween/Calabazas", 4, &mut notes),
            Some(CategoryRef::New(3))
        );
        assert_eq!(
            paths.place("Disfraces//adultos", 5, &mut notes),
            Some(CategoryRef::New(0))
        );
        assert_eq!(paths.place(" / ", 6, &mut notes), None);
        assert_eq!(paths.find("Fiestas/Halloween"), Some(CategoryRef::New(2)));
        let lines: Vec<u64> = notes.iter().map(|note| note.line).collect();
        assert_eq!(lines, [3, 4, 4, 4]);
        assert!(
            notes[0]
                .message
                .starts_with("category 'Disfraces/Adultos' created")
        );
        let new = paths.into_new();
        let made: Vec<(Option<CategoryRef>, &str, &str)> = new
            .iter()
            .map(|c| {
                (
                    c.parent,
                    c.names[Locale::Fr].as_str(),
                    c.url_keys[Locale::It].as_str(),
                )
            })
            .collect();
        assert_eq!(
            made,
            [
                (
                    Some(CategoryRef::Existing(CategoryId(1))),
                    "Adultos",
                    "adultos"
                ),
                (None, "Fiestas", "fiestas"),
                (Some(CategoryRef::New(1)), "Halloween", "halloween"),
                (Some(CategoryRef::New(2)), "Calabazas", "calabazas"),
            ]
        );
        assert_eq!(new[3].path, "Fiestas/Halloween/Calabazas");
    }
}
