//! Generates the SeaORM entity modules from `data/entities.tsv` (one line per table and per column),
//! so what every entity shares is written once (`entity::entity_model!`) and the columns are data.

use std::fmt::Write as _;
use std::path::Path;

struct Entity {
    module: String,
    text: String,
    doc: String,
}

fn main() {
    let source = "data/entities.tsv";
    println!("cargo::rerun-if-changed={source}");
    let data = std::fs::read_to_string(source).expect("data/entities.tsv is readable");
    let mut entities: Vec<Entity> = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["entity", module, table, kind, derives, attrs, model_doc, doc] => {
                let mut text = String::new();
                if !model_doc.is_empty() {
                    writeln!(text, "    #[doc = {:?}]", format!(" {model_doc}")).unwrap();
                }
                if !attrs.is_empty() {
                    writeln!(text, "    {attrs}").unwrap();
                }
                let derives = if derives.is_empty() { String::new() } else { format!(" [{derives}]") };
                writeln!(text, "    {kind} {table:?}{derives} {{").unwrap();
                entities.push(Entity { module: module.to_string(), text, doc: doc.to_string() });
            }
            ["column", module, name, ty, attrs, doc] => {
                let entity = entities
                    .last_mut()
                    .filter(|e| e.module == *module)
                    .unwrap_or_else(|| panic!("{source}:{}: column before its entity", n + 1));
                if !doc.is_empty() {
                    writeln!(entity.text, "        #[doc = {:?}]", format!(" {doc}")).unwrap();
                }
                if !attrs.is_empty() {
                    writeln!(entity.text, "        {attrs}").unwrap();
                }
                writeln!(entity.text, "        pub {name}: {ty},").unwrap();
            }
            _ => panic!("{source}:{}: not an entity or column line", n + 1),
        }
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut all = String::new();
    for e in &entities {
        let body = format!("crate::entity::entity_model! {{\n{}    }}\n}}\n", e.text);
        if e.module == "supervisions" {
            // `supervisions::entity` lives in its own module file, which includes this.
            std::fs::write(Path::new(&out).join("supervisions_entity.rs"), body).unwrap();
        } else {
            writeln!(all, "#[doc = {:?}]\npub mod {} {{\n{body}}}\n", format!(" {}", e.doc), e.module).unwrap();
        }
    }
    // What the drift test compares with the migrated schema: every entity as compiled.
    all.push_str("/// Every entity's table and columns (name, nullable) as compiled, for the schema test.\n");
    all.push_str("#[cfg(feature = \"testing\")]\npub fn all_columns() -> Vec<(&'static str, Vec<(&'static str, bool)>)> {\n    vec![\n");
    for e in &entities {
        let path =
            if e.module == "supervisions" { "crate::supervisions::entity".to_string() } else { e.module.clone() };
        writeln!(all, "        columns::<{path}::Entity>(),").unwrap();
    }
    all.push_str("    ]\n}\n");
    std::fs::write(Path::new(&out).join("entities.rs"), all).unwrap();
}
