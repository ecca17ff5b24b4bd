//! The desk as the care team uses it (`handouts serve`): a print button on every
//! catalogue entry, a mark on reviews due that only staff see, and the form in the
//! staff's language whatever the handout's.

mod common;

use common::desk::{self, form, get, request};

const ENGLISH: &str = "checking-your-feet-when-you-have-diabetes";
const SPANISH: &str = "como-revisar-sus-pies-si-tiene-diabetes";

#[test]
fn every_catalogue_entry_has_a_print_button_and_reviews_due_are_marked_for_staff_only() {
    let project = desk::project();
    // The English handout's review is due a year after 2026-11-20; "today" is past it.
    let config = std::fs::read_to_string(project.path().join("handouts.toml")).unwrap();
    let config = config.replacen("[handout]", "[handout]\nreview-every = \"1 year\"", 1);
    std::fs::write(project.path().join("handouts.toml"), config).unwrap();
    let desk = desk::start_with(project, &["--port", "0"], &[("HANDOUTS_TODAY", "2028-01-15")]);
    let catalogue = get(&desk, "/").text();
    let published = std::fs::read_to_string(desk.dir.path().join("out/site/index.html")).unwrap();
    let ids: Vec<&str> =
        published.match_indices("<li data-id=\"").map(|(at, _)| &published[at + 13..]).collect();
    assert!(ids.len() >= 6, "{published}");
    for rest in ids {
        let id = &rest[..rest.find('"').unwrap()];
        assert!(catalogue.contains(&format!("href=\"/print/{id}\"")), "no print button for {id}");
    }
    assert!(catalogue.contains("Review overdue since 2027-11-20"), "{catalogue}");
    assert_eq!(get(&desk, "/index.html").text(), catalogue);
    // The published catalogue has neither.
    assert!(!published.contains("/print/") && !published.contains("Review overdue"));
    // The button opens the form.
    let button = get(&desk, &format!("/print/{ENGLISH}"));
    assert_eq!(button.status, 303);
    assert_eq!(button.header("location"), Some(format!("/{ENGLISH}.html#desk").as_str()));
    // The patient's copy carries no review mark.
    let response =
        request(&desk.addr, "POST", &format!("/print/{ENGLISH}"), &[], &form(&[("patient", "Ana Example")]));
    assert_eq!(response.status, 200);
    let text = common::pdf_text(&response.body);
    assert!(!text.contains("Review overdue") && !text.contains("2027-11-20"), "{text}");
}

#[test]
fn the_form_speaks_the_staff_language_and_the_sections_the_handouts() {
    // Default: the collection's language (English), also on the Spanish handout.
    let desk = desk::start(&["--port", "0"]);
    let page = get(&desk, &format!("/{SPANISH}.html")).text();
    assert!(page.contains("<div lang=\"en\">") && page.contains("Patient&#39;s name"), "{page}");
    assert!(page.contains("<span lang=\"es\">"), "section titles keep the handout's language: {page}");
    // Problems come back in the staff's language too.
    let response = request(&desk.addr, "POST", &format!("/print/{SPANISH}"), &[], &form(&[("patient", "")]));
    assert!(!response.text().contains("Nombre del paciente"), "{}", response.text());
    drop(desk);

    // `[site] staff-language = "es"`: Spanish words on the English handout.
    let project = desk::project();
    let config = std::fs::read_to_string(project.path().join("handouts.toml")).unwrap();
    std::fs::write(
        project.path().join("handouts.toml"),
        config.replacen("[site]", "[site]\nstaff-language = \"es\"", 1),
    )
    .unwrap();
    let desk = desk::start_in(project, &["--port", "0"]);
    let page = get(&desk, &format!("/{ENGLISH}.html")).text();
    assert!(page.contains("<div lang=\"es\">") && page.contains("Nombre del paciente"), "{page}");
    assert!(page.contains("<span lang=\"en\">"), "{page}");
    // The catalogue's buttons and packet form too, marked as Spanish on an English page.
    let catalogue = get(&desk, "/").text();
    assert!(catalogue.contains("<span lang=\"es\">Imprimir para un paciente</span>"), "{catalogue}");
    assert!(catalogue.contains("aria-labelledby=\"packet-title\" lang=\"es\">"), "{catalogue}");
    assert!(catalogue.contains("Hacer el PDF del paquete"), "{catalogue}");
}

#[test]
fn a_staff_language_that_is_no_language_tag_is_refused_at_its_line() {
    let project = desk::project();
    let config = std::fs::read_to_string(project.path().join("handouts.toml")).unwrap();
    std::fs::write(
        project.path().join("handouts.toml"),
        config.replacen("[site]", "[site]\nstaff-language = \"English please\"", 1),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_handouts"))
        .args(["check"])
        .current_dir(project.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("staff-language") && stderr.contains("handouts.toml"), "{stderr}");
}
