//! Generates the SeaORM entity modules from `data/entities.tsv` (one line per table and per column),
//! so what every entity shares is written once (`entity::entity_model!`) and the columns are data.

use std::fmt::Write as _;
use std::path::Path;

struct Entity {
    module: String,
    text: String,
    doc: String,
}

/// A build failure names the file and line it came from; cargo prints it and stops.
type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result {
    let source = "data/entities.tsv";
    println!("cargo::rerun-if-changed={source}");
    let data = std::fs::read_to_string(source).map_err(|e| format!("{source}: {e}"))?;
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
                    writeln!(text, "    #[doc = {:?}]", format!(" {model_doc}"))?;
                }
                if !attrs.is_empty() {
                    writeln!(text, "    {attrs}")?;
                }
                let derives = if derives.is_empty() { String::new() } else { format!(" [{derives}]") };
                writeln!(text, "    {kind} {table:?}{derives} {{")?;
                entities.push(Entity { module: module.to_string(), text, doc: doc.to_string() });
            }
            ["column", module, name, ty, attrs, doc] => {
                let entity = entities
                    .last_mut()
                    .filter(|e| e.module == *module)
                    .ok_or_else(|| format!("{source}:{}: column before its entity", n + 1))?;
                if !doc.is_empty() {
                    writeln!(entity.text, "        #[doc = {:?}]", format!(" {doc}"))?;
                }
                if !attrs.is_empty() {
                    writeln!(entity.text, "        {attrs}")?;
                }
                writeln!(entity.text, "        pub {name}: {ty},")?;
            }
            _ => return Err(format!("{source}:{}: not an entity or column line", n + 1).into()),
        }
    }
    let out = std::env::var("OUT_DIR")?;
    let mut all = String::new();
    for e in &entities {
        let body = format!("crate::entity::entity_model! {{\n{}    }}\n}}\n", e.text);
        if e.module == "supervisions" {
            // `supervisions::entity` lives in its own module file, which includes this.
            std::fs::write(Path::new(&out).join("supervisions_entity.rs"), body)?;
        } else {
            writeln!(all, "#[doc = {:?}]\npub mod {} {{\n{body}}}\n", format!(" {}", e.doc), e.module)?;
        }
    }
    // What the drift test compares with the migrated schema: every entity as compiled.
    all.push_str("/// Every entity's table and columns (name, nullable) as compiled, for the schema test.\n");
    all.push_str("#[cfg(feature = \"testing\")]\npub fn all_columns() -> Vec<(&'static str, Vec<(&'static str, bool)>)> {\n    vec![\n");
    for e in &entities {
        let path =
            if e.module == "supervisions" { "crate::supervisions::entity".to_string() } else { e.module.clone() };
        writeln!(all, "        columns::<{path}::Entity>(),")?;
    }
    all.push_str("    ]\n}\n");
    std::fs::write(Path::new(&out).join("entities.rs"), all)?;
    Ok(())
}
