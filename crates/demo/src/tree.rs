//! The demo category tree: nine departments, their sections, and themes below them
//! (about 300 categories on three levels).

use std::collections::HashMap;

use comptoir_domain::slug::slugify;
use comptoir_domain::{Category, CategoryId, PerLocale};

use crate::capitalise;
use crate::words::{Audience, ProductType, THEMES, Theme, Words};

/// The departments whose goods are hygiene goods.
const HYGIENE_DEPARTMENTS: [&str; 2] = ["wigs", "makeup"];

pub struct CategoryTree {
    pub categories: Vec<Category>,
    /// Category by its code path, e.g. `halloween/women/witch`.
    by_code: HashMap<String, CategoryId>,
}

const WOMEN: (&str, Words) = ("women", ["Mujer", "Femme", "Mulher", "Donna"]);
const MEN: (&str, Words) = ("men", ["Hombre", "Homme", "Homem", "Uomo"]);
const KIDS: (&str, Words) = ("kids", ["Niños", "Enfants", "Crianças", "Bambini"]);
const BABIES: (&str, Words) = ("babies", ["Bebés", "Bébés", "Bebés", "Neonati"]);

/// Which themes a section lists as its third level.
#[derive(Clone, Copy)]
enum Themes {
    None,
    All,
    Spooky(bool),
}

struct Department {
    code: &'static str,
    names: Words,
    sections: &'static [(&'static str, Words)],
    themes: Themes,
}

const DEPARTMENTS: &[Department] = &[
    Department {
        code: "carnival",
        names: ["Carnaval", "Carnaval", "Carnaval", "Carnevale"],
        sections: &[WOMEN, MEN, KIDS, BABIES],
        themes: Themes::Spooky(false),
    },
    Department {
        code: "halloween",
        names: ["Halloween", "Halloween", "Halloween", "Halloween"],
        sections: &[WOMEN, MEN, KIDS, BABIES],
        themes: Themes::Spooky(true),
    },
    Department {
        code: "adults",
        names: [
            "Disfraces adultos",
            "Déguisements adultes",
            "Fantasias adulto",
            "Costumi adulti",
        ],
        sections: &[WOMEN, MEN],
        themes: Themes::All,
    },
    Department {
        code: "children",
        names: [
            "Disfraces infantiles",
            "Déguisements enfants",
            "Fantasias criança",
            "Costumi bambini",
        ],
        sections: &[KIDS, BABIES],
        themes: Themes::All,
    },
    Department {
        code: "accessories",
        names: ["Accesorios", "Accessoires", "Acessórios", "Accessori"],
        sections: &[
            ("hats", ["Sombreros", "Chapeaux", "Chapéus", "Cappelli"]),
            ("masks", ["Máscaras", "Masques", "Máscaras", "Maschere"]),
            ("capes", ["Capas", "Capes", "Capas", "Mantelli"]),
        ],
        themes: Themes::None,
    },
    Department {
        code: "wigs",
        names: ["Pelucas", "Perruques", "Perucas", "Parrucche"],
        sections: &[
            (
                "themed-wigs",
                [
                    "Pelucas temáticas",
                    "Perruques à thème",
                    "Perucas temáticas",
                    "Parrucche a tema",
                ],
            ),
            (
                "colour-wigs",
                [
                    "Pelucas de colores",
                    "Perruques colorées",
                    "Perucas coloridas",
                    "Parrucche colorate",
                ],
            ),
        ],
        themes: Themes::None,
    },
    Department {
        code: "makeup",
        names: ["Maquillaje", "Maquillage", "Maquilhagem", "Trucco"],
        sections: &[
            (
                "makeup-kits",
                [
                    "Kits de maquillaje",
                    "Kits de maquillage",
                    "Kits de maquilhagem",
                    "Kit trucco",
                ],
            ),
            (
                "special-effects",
                [
                    "Efectos especiales",
                    "Effets spéciaux",
                    "Efeitos especiais",
                    "Effetti speciali",
                ],
            ),
        ],
        themes: Themes::None,
    },
    Department {
        code: "decoration",
        names: [
            "Decoración de fiestas",
            "Décoration de fête",
            "Decoração de festas",
            "Decorazioni per feste",
        ],
        sections: &[
            (
                "garlands",
                ["Guirnaldas", "Guirlandes", "Grinaldas", "Festoni"],
            ),
            ("balloons", ["Globos", "Ballons", "Balões", "Palloncini"]),
        ],
        themes: Themes::None,
    },
    Department {
        code: "themes",
        names: ["Por temática", "Par thème", "Por tema", "Per tema"],
        sections: &[],
        themes: Themes::None,
    },
];

impl CategoryTree {
    pub fn build() -> Self {
        let mut tree = CategoryTree {
            categories: Vec::new(),
            by_code: HashMap::new(),
        };
        for (position, department) in DEPARTMENTS.iter().enumerate() {
            let top = tree.add(
                None,
                department.code,
                position,
                department.names.map(str::to_owned),
            );
            let sections: Vec<(&str, [String; 4])> = if department.code == "themes" {
                THEMES
                    .iter()
                    .map(|t| (t.code, t.noun.map(capitalise)))
                    .collect()
            } else {
                department
                    .sections
                    .iter()
                    .map(|(code, names)| (*code, names.map(str::to_owned)))
                    .collect()
            };
            for (position, (code, names)) in sections.into_iter().enumerate() {
                let path = format!("{}/{code}", department.code);
                let section = tree.add(Some(top), &path, position, names);
                let themes = THEMES.iter().filter(|theme| match department.themes {
                    Themes::None => false,
                    Themes::All => true,
                    Themes::Spooky(spooky) => theme.spooky == spooky,
                });
                for (position, theme) in themes.enumerate() {
                    let names = theme.noun.map(capitalise);
                    tree.add(
                        Some(section),
                        &format!("{path}/{}", theme.code),
                        position,
                        names,
                    );
                }
            }
        }
        tree
    }

    fn add(
        &mut self,
        parent: Option<CategoryId>,
        code_path: &str,
        position: usize,
        names: [String; 4],
    ) -> CategoryId {
        let id = CategoryId(self.categories.len() as i64 + 1);
        let url_keys = PerLocale(names.each_ref().map(|name| slugify(name)));
        self.categories.push(Category {
            id,
            parent,
            position: position as i32,
            enabled: true,
            // Wigs and make-up are not taken back once unsealed.
            hygiene_sealed: parent.is_none() && HYGIENE_DEPARTMENTS.contains(&code_path),
            names: PerLocale(names),
            url_keys,
            meta: PerLocale::default(),
        });
        self.by_code.insert(code_path.to_owned(), id);
        id
    }

    /// The category with the given code path; panics on a path the tree lacks, which
    /// only hand-written data can name.
    pub fn by_path(&self, code_path: &str) -> CategoryId {
        *self
            .by_code
            .get(code_path)
            .unwrap_or_else(|| panic!("demo category '{code_path}' does not exist"))
    }

    /// The categories a generated product is placed in.
    pub fn placements(
        &self,
        product_type: &ProductType,
        theme: &Theme,
        audience: Audience,
    ) -> Vec<CategoryId> {
        let mut paths = vec![format!("themes/{}", theme.code)];
        if product_type.code == "costume" {
            let section = match audience {
                Audience::Women => "women",
                Audience::Men => "men",
                Audience::Kids | Audience::Everyone => "kids",
                Audience::Babies => "babies",
            };
            let season = if theme.spooky {
                "halloween"
            } else {
                "carnival"
            };
            paths.push(format!("{season}/{section}/{}", theme.code));
            let department = if matches!(audience, Audience::Women | Audience::Men) {
                "adults"
            } else {
                "children"
            };
            paths.push(format!("{department}/{section}/{}", theme.code));
        } else {
            paths.push(format!("{}/{}", product_type.home, product_type.section));
        }
        paths.iter().map(|path| self.by_path(path)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_three_hundred_categories_on_three_levels() {
        let tree = CategoryTree::build();
        assert!(
            (250..=350).contains(&tree.categories.len()),
            "{}",
            tree.categories.len()
        );
        let depth = |mut id: CategoryId| {
            let mut depth = 1;
            while let Some(parent) = tree.categories[id.0 as usize - 1].parent {
                id = parent;
                depth += 1;
            }
            depth
        };
        assert_eq!(tree.categories.iter().map(|c| depth(c.id)).max(), Some(3));
    }
}
