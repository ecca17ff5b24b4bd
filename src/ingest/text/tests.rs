//! Unit tests of the plain-text reader, beside its rules.

use super::*;

fn texts(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .map(|block| match block {
            Block::Heading { content, .. } => format!("H: {}", crate::model::plain_text(content)),
            Block::Paragraph { content, .. } => format!("P: {}", crate::model::plain_text(content)),
            Block::List { items, .. } => format!("L: {} items", items.len()),
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn title_is_a_short_first_line_without_period() {
    assert_eq!(
        parse("Can it be cured?\n\nYes, sometimes it can.", 1).title.as_deref(),
        Some("Can it be cured?")
    );
    assert_eq!(parse("This is a sentence.\nMore.", 1).title, None);
    assert_eq!(parse("¿Qué es?\n\nUn texto.", 1).title.as_deref(), Some("¿Qué es?"));
    let long = "A first line that is far too long to be the title of anything at all really";
    assert_eq!(parse(long, 1).title, None);
}

#[test]
fn headings_stand_apart_or_head_a_paragraph() {
    let body = parse(
        "Title\n\nIntro paragraph that runs on for quite a number of words indeed.\n\nThe Goals of Treatment\n\nSome text that is long enough to be a paragraph for sure here.\nWhat should I ask?\nAnother paragraph that is long enough to be a paragraph for sure here.",
        1,
    );
    assert_eq!(
        texts(&body.blocks),
        [
            "P: Intro paragraph that runs on for quite a number of words indeed.",
            "H: The Goals of Treatment",
            "P: Some text that is long enough to be a paragraph for sure here.",
            "H: What should I ask?",
            "P: Another paragraph that is long enough to be a paragraph for sure here.",
        ]
    );
    assert_eq!(body.blocks[1].line(), 5);
}

#[test]
fn short_line_ending_with_colon_introduces_a_list() {
    let body = parse(
        "Title\nFor example:\n– one thing\n– another thing\n— a third\nAfter the list, a paragraph.",
        1,
    );
    assert_eq!(texts(&body.blocks), ["P: For example:", "L: 3 items", "P: After the list, a paragraph."]);
}

#[test]
fn list_markers() {
    for (text, kind) in [
        ("- a", MarkerKind::Bullet),
        ("• a", MarkerKind::Bullet),
        ("* a", MarkerKind::Bullet),
        ("1. a", MarkerKind::Number),
        ("12) a", MarkerKind::Number),
        ("a) a", MarkerKind::Letter),
    ] {
        assert_eq!(list_marker(text).map(|m| m.kind), Some(kind), "{text}");
    }
    for text in ["-a", "2026. Year", "1.5 mg daily", "-"] {
        assert!(list_marker(text).is_none(), "{text}");
    }
    let body = parse("Steps\n\n3. third\n4. fourth", 1);
    assert!(matches!(&body.blocks[0], Block::List { ordered: true, start: Some(3), .. }));
}

#[test]
fn lead_ins_become_strong() {
    assert_eq!(
        paragraph_inlines("Targeted Therapy: This form of treatment uses drugs."),
        vec![
            Inline::Strong { content: vec![Inline::text("Targeted Therapy:")] },
            Inline::text(" This form of treatment uses drugs."),
        ]
    );
    // A lower-case continuation or a long label is an ordinary sentence.
    assert_eq!(
        paragraph_inlines("In summary: while there is hope."),
        vec![Inline::text("In summary: while there is hope.")]
    );
    assert_eq!(
        paragraph_inlines("It depends on a great many different things: Age and health."),
        vec![Inline::text("It depends on a great many different things: Age and health.")]
    );
}

#[test]
fn footer_boilerplate_is_removed_with_reason() {
    let body = parse(
        "Title\n\nA real paragraph of the article that says something useful.\n\nPopular posts from this blog\n\nWhat Is Kidney Cancer?\n\nProstate Cancer: An Overview",
        1,
    );
    assert_eq!(texts(&body.blocks), ["P: A real paragraph of the article that says something useful."]);
    let removed: Vec<(usize, &str)> = body.removed.iter().map(|r| (r.line, r.text.as_str())).collect();
    assert_eq!(
        removed,
        [
            (5, "Popular posts from this blog"),
            (7, "What Is Kidney Cancer?"),
            (9, "Prostate Cancer: An Overview")
        ]
    );
    assert!(body.removed.iter().all(|r| r.reason == "related links"), "{:?}", body.removed);
}

#[test]
fn keep_boilerplate_prints_every_line() {
    let text = "Skip to main content\nHome\nCaring for Your Feet\nCheck your feet every day for cuts and blisters, and call us when one does not heal.";
    let body = parse_with(text, 1, Options { keep_boilerplate: true });
    assert!(body.removed.is_empty());
    assert_eq!(body.title.as_deref(), Some("Skip to main content"));
    let body = parse(text, 1);
    assert_eq!(body.title.as_deref(), Some("Caring for Your Feet"));
    let reasons: Vec<&str> = body.removed.iter().map(|r| r.reason.as_str()).collect();
    assert_eq!(reasons, ["site navigation", "site navigation"]);
}

#[test]
fn page_furniture_around_the_article_is_removed_with_its_kind() {
    let page = "Skip to main content
Lakeside Health
Caring for our community since 1920
Home
Conditions
Home > Conditions > Diabetes
Caring for Your Feet When You Have Diabetes | Lakeside Health
Caring for Your Feet When You Have Diabetes
By Dana Ortiz, RN | Updated May 3, 2024
Share
Facebook
Diabetes can damage the nerves and blood vessels in your feet, so a small cut can turn into a serious sore.
Check your feet every day
Look at the tops, the soles and between the toes, and use a mirror if you cannot see the bottoms of your feet.
Advertisement
Signs to watch for include:
Redness or swelling
A cut that does not heal
Call your care team if you see any of these signs.
Related articles
Ten Foods for Healthy Blood Sugar
Choosing the Right Shoes
© 2025 Lakeside Health. All rights reserved.
Privacy Policy";
    let body = parse(page, 1);
    assert_eq!(body.title.as_deref(), Some("Caring for Your Feet When You Have Diabetes"));
    assert_eq!(
        texts(&body.blocks),
        [
            "P: Diabetes can damage the nerves and blood vessels in your feet, so a small cut can turn into a serious sore.",
            "H: Check your feet every day",
            "P: Look at the tops, the soles and between the toes, and use a mirror if you cannot see the bottoms of your feet.",
            "P: Signs to watch for include:",
            "L: 2 items",
            "P: Call your care team if you see any of these signs.",
        ]
    );
    let reason = |text: &str| body.removed.iter().find(|r| r.text == text).map(|r| r.reason.as_str());
    assert_eq!(reason("Skip to main content"), Some("site navigation"));
    assert_eq!(reason("Home > Conditions > Diabetes"), Some("breadcrumbs"));
    assert_eq!(reason("By Dana Ortiz, RN | Updated May 3, 2024"), Some("byline"));
    assert_eq!(reason("Advertisement"), Some("advertising"));
    assert_eq!(reason("Choosing the Right Shoes"), Some("related links"));
    assert_eq!(reason("© 2025 Lakeside Health. All rights reserved."), Some("page footer"));
    assert_eq!(reason("Caring for our community since 1920"), Some("outside the article"));
    assert_eq!(body.removed.len(), 16, "{:#?}", body.removed);
}

/// The "when to call" section must survive however the browser copied it: the
/// heading, then what follows it, never the last item of the list above.
#[test]
fn safety_headings_are_never_list_items() {
    let cases = [
        // One line per paragraph, no blank lines: how several browsers copy.
        "Foot care\nCheck your feet every day after your bath, and look between your toes too.\nWatch for these signs:\nRedness\nSwelling\nA cut that does not heal\nNumbness\nWhen to call your doctor\nCall us the same day if you see any of these signs.",
        // The same with blank lines.
        "Foot care\n\nCheck your feet every day after your bath, and look between your toes too.\n\nWatch for these signs:\n\nRedness\n\nSwelling\n\nA cut that does not heal\n\nNumbness\n\nWhen to call your doctor\n\nCall us the same day if you see any of these signs.",
        // In capitals, after the list, with a colon.
        "Foot care\nCheck your feet every day after your bath, and look between your toes too.\nWatch for these signs:\nRedness\nSwelling\nA cut that does not heal\nNumbness\nWHEN TO CALL 911:\nCall us the same day if you see any of these signs.",
    ];
    for case in cases {
        let body = parse(case, 1);
        let blocks = texts(&body.blocks);
        let heading = blocks.iter().position(|b| b.starts_with("H: When to call")).unwrap_or_else(|| {
            panic!("no safety heading in {blocks:?} from {case:?}");
        });
        assert_eq!(blocks[heading - 1], "L: 4 items", "{blocks:?}");
        assert_eq!(
            blocks[heading + 1],
            "P: Call us the same day if you see any of these signs.",
            "{blocks:?}"
        );
        assert!(body.removed.is_empty(), "{:?}", body.removed);
    }
}

#[test]
fn a_long_emergency_lead_in_heads_its_list() {
    // Shaped like a hospital's discharge page: the urgent list after the less urgent one.
    let body = parse(
        "Going home after surgery\nRest at home for the first few days and take your medicines as prescribed.\nContact your doctor if you have:\n- A fever over 101 degrees\n- Redness around the cut\nCall 911 or go to your nearest emergency room for any of the following:\n- Chest pain\n- Coughing up blood\n- Trouble breathing\n",
        1,
    );
    let blocks = texts(&body.blocks);
    assert!(
        blocks.contains(
            &"H: Call 911 or go to your nearest emergency room for any of the following".to_string()
        ),
        "{blocks:?}"
    );
    assert_eq!(blocks.last().map(String::as_str), Some("L: 3 items"), "{blocks:?}");
    // A sentence that mentions 911 stays a sentence.
    let body = parse(
        "Burns\nCool the burn under running water for twenty minutes right away.\nCall 911 if the burn is larger than your hand or on the face.\n",
        1,
    );
    assert!(texts(&body.blocks).iter().all(|b| !b.starts_with("H: Call 911")), "{:?}", texts(&body.blocks));
}

#[test]
fn spanish_safety_headings_are_headings_with_or_without_accents() {
    for (line, heading) in [
        ("¿Cuándo debo llamar al médico?", "H: ¿Cuándo debo llamar al médico?"),
        ("CUANDO LLAMAR AL 911", "H: Cuando llamar al 911"),
        ("Llame al 911 si tiene:", "H: Llame al 911 si tiene"),
        ("¿Cuándo debe pedir ayuda?", "H: ¿Cuándo debe pedir ayuda?"),
    ] {
        let text = format!(
            "Cuidado de los pies\nRevise sus pies todos los días después del baño y mire entre los dedos.\nFíjese en estas señales:\nEnrojecimiento\nHinchazón\nUna herida que no sana\n{line}\nDolor en el pecho que no se quita.\nFalta de aire."
        );
        let blocks = texts(&parse(&text, 1).blocks);
        let at =
            blocks.iter().position(|b| b == heading).unwrap_or_else(|| panic!("{heading} in {blocks:?}"));
        assert_eq!(blocks[at - 1], "L: 3 items", "{blocks:?}");
    }
}

/// French, German and Portuguese pages head the section their own way; after a list,
/// with or without blank lines, the line is a heading and the list stays whole.
#[test]
fn french_german_and_portuguese_safety_headings_are_headings() {
    let cases = [
        (
            "Surveillez ces signes :",
            ["Rougeur", "Gonflement", "Fièvre"],
            "Quand consulter un médecin ?",
            "Prenez rendez-vous rapidement si la rougeur s'étend.",
        ),
        (
            "Surveillez ces signes :",
            ["Rougeur", "Gonflement", "Fièvre"],
            "APPELEZ LE 15 :",
            "Sans attendre, en cas de douleur dans la poitrine.",
        ),
        (
            "Achten Sie auf diese Zeichen:",
            ["Rötung", "Schwellung", "Fieber"],
            "Wann zum Arzt?",
            "Gehen Sie am selben Tag in die Praxis, wenn die Rötung größer wird.",
        ),
        (
            "Achten Sie auf diese Zeichen:",
            ["Rötung", "Schwellung", "Fieber"],
            "Wann sollten Sie einen Arzt aufsuchen?",
            "Am selben Tag, wenn die Rötung größer wird.",
        ),
        (
            "Fique atento a estes sinais:",
            ["Vermelhidão", "Inchaço", "Febre"],
            "Quando procurar o médico",
            "Procure o posto de saúde no mesmo dia se a vermelhidão aumentar.",
        ),
        (
            "Fique atento a estes sinais:",
            ["Vermelhidão", "Inchaço", "Febre"],
            "Ligue 192 se tiver:",
            "Dor no peito ou falta de ar.",
        ),
    ];
    for (lead, items, line, after) in cases {
        let heading = format!("H: {}", line.trim_end_matches([' ', ':']));
        for gap in ["\n", "\n\n"] {
            let text = [
                "Soins des pieds",
                "Check the page: this line is long enough to be a paragraph of body text, in any language.",
                lead,
            ]
            .into_iter()
            .chain(items)
            .chain([line, after])
            .collect::<Vec<_>>()
            .join(gap);
            let blocks = texts(&parse(&text, 1).blocks);
            let at = blocks
                .iter()
                .position(|b| b.eq_ignore_ascii_case(&heading) || *b == heading)
                .unwrap_or_else(|| panic!("{heading} in {blocks:?}"));
            assert_eq!(blocks[at - 1], "L: 3 items", "{blocks:?}");
            assert_eq!(blocks[at + 1], format!("P: {after}"), "{blocks:?}");
        }
    }
}

#[test]
fn a_sentence_or_a_marked_item_about_calling_stays_what_it_is() {
    let blocks = texts(&parse("Title\n\nRest at home for two days and drink plenty of water every day.\n\nCall 911 if the pain spreads to your arm.\n\nSigns:\n- Call 911 now\n- Chest pain", 1).blocks);
    assert!(blocks.contains(&"P: Call 911 if the pain spreads to your arm.".to_string()), "{blocks:?}");
    assert!(blocks.contains(&"L: 2 items".to_string()), "{blocks:?}");
    // A safety phrase at the very end, with nothing under it, is not a heading.
    let blocks = texts(
        &parse("Title\n\nRest at home for two days and drink plenty of water every day.\nWhen to call", 1)
            .blocks,
    );
    assert_eq!(blocks.last().map(String::as_str), Some("P: When to call"), "{blocks:?}");
}

/// A file staff wrote, with no page around it, keeps every line: separators and a
/// fenced block are not signs of a web page.
#[test]
fn a_plain_article_keeps_every_line_with_words() {
    let text = "Taking your blood pressure at home\n\nSit quietly for five minutes before you measure, with your back supported and your feet flat.\n\nWrite down both numbers each time, and bring the notebook to every visit with us.\n\n* * *\n\n```\nMorning: 128/82\nEvening: 131/85\n```\n\nThank you for taking part.";
    let body = parse(text, 1);
    let reasons: Vec<(&str, &str)> =
        body.removed.iter().map(|r| (r.text.as_str(), r.reason.as_str())).collect();
    assert!(
        reasons.iter().all(|(text, reason)| *reason == "separator line without words"
            && !text.chars().any(char::is_alphanumeric)),
        "{reasons:?}"
    );
    let printed = texts(&body.blocks).join("\n");
    for kept in ["Morning: 128/82", "Evening: 131/85", "Thank you for taking part."] {
        assert!(printed.contains(kept), "{kept} missing from {printed}");
    }
}

/// A list without a colon at the end of a file staff wrote: three short lines read
/// like a site's menu, and must not be left out as one.
#[test]
fn a_plain_article_ending_in_a_short_list_keeps_it() {
    let text = "Taking care of your back\n\nRest for a day or two, then start walking a little more each day. Gentle movement helps your back heal.\n\nUse a heating pad for 20 minutes at a time, a few times a day, to ease sore muscles.\n\nMedicines to avoid\nAspirin\nIbuprofen\nNaproxen\n";
    let body = parse(text, 1);
    assert!(body.removed.is_empty(), "{:?}", body.removed);
    let blocks = texts(&body.blocks);
    assert_eq!(blocks[blocks.len() - 2..], ["H: Medicines to avoid", "L: 3 items"], "{blocks:?}");
}

#[test]
fn a_bulleted_label_over_its_items_leads_the_list_in() {
    let text = "Title\n\nAfter a stay in hospital, take your medicines the way the team showed you before you went home.\n- Using your medicines safely:\n- Take them with water;\n- Keep them away from heat;\n- Never take a double dose.";
    let blocks = texts(&parse(text, 1).blocks);
    assert_eq!(blocks[1..], ["P: Using your medicines safely:", "L: 3 items"], "{blocks:?}");
    // Items that are all labels stay one list.
    let text = "Title\n\nWhat to bring on the day of your visit to the clinic, in one bag.\n- Papers:\n- Medicines:\n- Glasses:";
    assert_eq!(texts(&parse(text, 1).blocks)[1..], ["L: 3 items"]);
}

#[test]
fn a_byline_with_a_no_break_space_is_a_byline() {
    for byline in
        ["By\u{a0}Dana Ortiz, RN", "Por\u{a0}la Dra.\u{a0}Ana Ruiz", "\u{200f}By\u{a0}\u{a0}Émile Zoë Ortiz"]
    {
        let text = format!(
            "Skip to main content\nHome\nCaring for Your Feet\n{byline}\nCheck your feet every day for cuts and blisters, and call us when one does not heal."
        );
        let body = parse(&text, 1);
        assert!(body.removed.iter().any(|r| r.text == byline), "{byline:?}: {:?}", body.removed);
    }
}

#[test]
fn unmarked_items_after_a_lead_in_are_a_list() {
    let body = parse(
        "Title\n\nHeart failure makes it harder for your heart to pump, and it can change how you feel each day.\n\nSymptoms include:\nShortness of breath\nSwelling in your legs\nFeeling very tired\n\nWeigh yourself every morning and write the number down in a notebook you keep by the scale.",
        1,
    );
    assert_eq!(
        texts(&body.blocks)[1..4],
        [
            "P: Symptoms include:",
            "L: 3 items",
            "P: Weigh yourself every morning and write the number down in a notebook you keep by the scale."
        ]
    );
}

#[test]
fn label_and_numbered_section_headings() {
    let body = parse(
        "Title\n\nActivity:\nWalk a little more each day, and rest when you feel short of breath or dizzy.\n1. Examine your feet daily:\nLook for cuts, blisters, redness and swelling, and use a mirror to see the soles.\n2. Wash your feet:\nUse warm water, not hot, and dry well between the toes so the skin does not crack.\nWEIGHT LOSS:\nLosing even a little weight can lower your blood pressure and help your heart.",
        1,
    );
    assert_eq!(
        texts(&body.blocks).iter().filter(|t| t.starts_with("H:")).collect::<Vec<_>>(),
        ["H: Activity", "H: 1. Examine your feet daily", "H: 2. Wash your feet", "H: Weight loss"]
    );
}

#[test]
fn shouted_headings_are_sentence_case_with_acronyms_kept() {
    assert_eq!(sentence_case_if_shouted("WHEN TO CALL 911"), "When to call 911");
    assert_eq!(sentence_case_if_shouted("LIVING WITH HIV AND COPD"), "Living with HIV and COPD");
    assert_eq!(sentence_case_if_shouted("¿QUÉ ES LA EPOC?"), "¿Qué es la EPOC?");
    assert_eq!(sentence_case_if_shouted("Prevention"), "Prevention");
    assert_eq!(sentence_case_if_shouted("CT"), "CT");
}

#[test]
fn new_list_markers() {
    for text in [
        "● one",
        "▪ one",
        "✓ one",
        "☐ one",
        "➢ one",
        "✓one",
        "1.Avoid salt",
        "A.Raise your leg",
        "b) two",
        "A. Raise it",
    ] {
        assert!(list_marker(text).is_some(), "{text}");
    }
    for text in ["U.S. adults", "1.5 mg daily", "e.g. this", "-5 degrees", "A.M. dose"] {
        assert!(list_marker(text).is_none(), "{text}");
    }
    assert_eq!(list_marker("1.Avoid salt").map(|m| m.rest), Some("Avoid salt"));
}

#[test]
fn truncation_inside_a_list_item_or_after_a_heading() {
    let body = parse(
        "Title\n\nSome text that is a paragraph of the article, long enough.\n\n- Rest your leg.\n- Raise it on pillows.\n- Use ice and rais",
        1,
    );
    assert!(body.warnings.iter().any(|w| w.message.contains("inside a list item")), "{:?}", body.warnings);
    let body = parse(
        "Title\n\nSome text that is a paragraph of the article, long enough to count.\n\nCHEMICAL BURNS",
        1,
    );
    assert!(body.warnings.iter().any(|w| w.message.contains("may be truncated")), "{:?}", body.warnings);
    let body = parse(
        "Title\n\nSome text that is a paragraph of the article, long enough to count.\n\nCall us if you have:",
        1,
    );
    assert!(body.warnings.iter().any(|w| w.message.contains("lead-in")), "{:?}", body.warnings);
    let body = parse(
        "Title\n\nSome text that is a paragraph of the article, long enough to count.\n\nCall us if you have:\nFever\nRedness\nPus",
        1,
    );
    assert!(body.warnings.is_empty(), "{:?}", body.warnings);
}

#[test]
fn truncated_text_warns() {
    let body = parse("Title\n\nIt depends on multiple factors: th", 1);
    assert_eq!(body.warnings.len(), 1);
    assert_eq!(body.warnings[0].line, Some(3));
    assert!(body.warnings[0].message.contains("ends mid-sentence"));
    assert!(parse("Title\n\nA finished sentence.", 1).warnings.is_empty());
}

#[test]
fn titles_and_headings_in_scripts_without_capitals() {
    let body = parse(
        "化疗指南\n\n化疗可以帮助控制癌症。\n\n常见问题\n\n化疗会掉头发吗？这取决于所用的药物和剂量。",
        1,
    );
    assert_eq!(body.title.as_deref(), Some("化疗指南"));
    assert_eq!(
        texts(&body.blocks),
        ["P: 化疗可以帮助控制癌症。", "H: 常见问题", "P: 化疗会掉头发吗？这取决于所用的药物和剂量。"]
    );
    assert!(body.warnings.is_empty(), "{:?}", body.warnings);
    let body =
        parse("العلاج الكيميائي\n\nيساعد العلاج الكيميائي على السيطرة على السرطان في كثير من الحالات.", 1);
    assert_eq!(body.title.as_deref(), Some("العلاج الكيميائي"));
}

#[test]
fn control_characters_separate_words() {
    assert_eq!(tidy_whitespace("one\u{c}two\u{85}three\u{7}  four\u{1b}"), "one two three four");
}

#[test]
fn bidi_overrides_warn_with_their_line() {
    let body = parse("Title\n\nTake \u{202E}01\u{202C} mg daily.\n\nشكرا.", 4);
    assert_eq!(body.warnings.len(), 1, "{:?}", body.warnings);
    assert_eq!(body.warnings[0].line, Some(6));
    assert!(body.warnings[0].message.starts_with("bidirectional override (U+202E)"));
}

#[test]
fn a_picture_line_is_a_figure_with_the_markdown_syntax() {
    let body = parse(
        "Foot care\n\nCheck your feet every day, including the soles and between the toes.\n\n![A person checks the sole of their foot](pictures/foot.svg \"Check both feet every day.\")\n\nCall us if you see a cut or a blister that does not heal.\n\n![](pictures/deco.png)\n![Old chart](https://example.org/chart.png)\n",
        1,
    );
    assert_eq!(
        body.blocks[1],
        Block::Figure {
            src: "pictures/foot.svg".into(),
            alt: "A person checks the sole of their foot".into(),
            caption: Some(vec![Inline::text("Check both feet every day.")]),
            line: 5
        }
    );
    assert!(
        matches!(&body.blocks[3], Block::Figure { alt, line: 9, .. } if alt.is_empty()),
        "{:?}",
        body.blocks
    );
    assert_eq!(body.blocks[4], Block::Paragraph { content: vec![Inline::text("Old chart")], line: 10 });
    let warnings: Vec<_> = body.warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
    assert!(warnings.contains(&(Some(9), crate::pictures::NO_ALT_WARNING)), "{warnings:?}");
    assert!(warnings.contains(&(Some(10), crate::pictures::WEB_ADDRESS_WARNING)), "{warnings:?}");
    // Text around the syntax: an ordinary paragraph.
    let body = parse("Title\n\nSee ![a](x.png) here, it is a sentence of some length.\n", 1);
    assert!(matches!(body.blocks[0], Block::Paragraph { .. }), "{:?}", body.blocks);
}

/// A press release wrapped at 80 columns inside a whole pasted page (its menus are
/// longer lines): the wrapped lines join however the next one starts.
#[test]
fn a_wrapped_block_inside_a_page_is_joined_into_paragraphs() {
    let menu =
        "Home / News / Health / Events / About us / Contact us / Careers / Donate / Volunteer / Newsletter";
    let text = format!(
        "{menu}\nClinic opens a new foot care service\n    RIVERTON, Jan. 6 - Today at the Riverton health fair the\nclinic said that its new foot care service opens in March for all\nadults with diabetes. Nurses will check feet, trim nails and teach\nRiverton families how to look after their feet at home.\n    \"We want every patient to keep walking,\" said the head nurse.\nShort line"
    );
    let body = parse(&text, 1);
    let joined = "RIVERTON, Jan. 6 - Today at the Riverton health fair the clinic said that its new foot care service opens in March for all adults with diabetes. Nurses will check feet, trim nails and teach Riverton families how to look after their feet at home.";
    assert!(texts(&body.blocks).contains(&format!("P: {joined}")), "{:#?}", texts(&body.blocks));
    // A heading above one line of body is no wrapped block.
    let body = parse(
        "Title\n\nHow to look after the wound at home in the first week\nKeep it dry and clean, and change the dressing every day as the nurse showed you.",
        1,
    );
    assert_eq!(texts(&body.blocks)[0], "H: How to look after the wound at home in the first week");
}

#[test]
fn whitespace_is_tidied_and_wrapped_lines_joined() {
    let body = parse(
        "Title\n\n  This   paragraph was\thard wrapped by an email client at some\nnarrow width and continues here.  ",
        1,
    );
    assert_eq!(
        texts(&body.blocks),
        ["P: This paragraph was hard wrapped by an email client at some narrow width and continues here."]
    );
}

/// Each list as its items' first words, nested lists in brackets after their item.
fn list_shape(block: &Block) -> String {
    let Block::List { items, ordered, .. } = block else { return format!("{block:?}") };
    let items: Vec<String> = items
        .iter()
        .map(|item| {
            item.iter()
                .map(|part| match part {
                    Block::Paragraph { content, .. } => crate::model::plain_text(content),
                    list @ Block::List { .. } => list_shape(list),
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    format!("{}[{}]", if *ordered { "ol" } else { "ul" }, items.join(", "))
}

#[test]
fn indented_items_nest_under_the_item_before_them() {
    let body = parse(
        "Call your doctor if you have:\n  •  a fever\n  •  signs of infection:\n    1.  swelling\n    2.  pus\n  •  changes in blood flow:\n    1.  numb toes\n  •  vomiting that won't stop\n",
        1,
    );
    let lists: Vec<String> =
        body.blocks.iter().filter(|b| matches!(b, Block::List { .. })).map(list_shape).collect();
    assert_eq!(
        lists,
        [
            "ul[a fever, signs of infection: ol[swelling, pus], changes in blood flow: ol[numb toes], vomiting that won't stop]"
        ]
    );
    // The same list pasted with its bullets nested by indentation alone.
    let body = parse("Watch for:\n• redness\n• signs of infection:\n   • swelling\n   • pus\n• fever\n", 1);
    let lists: Vec<String> =
        body.blocks.iter().filter(|b| matches!(b, Block::List { .. })).map(list_shape).collect();
    assert_eq!(lists, ["ul[redness, signs of infection: ul[swelling, pus], fever]"]);
}

#[test]
fn a_colon_item_over_other_markers_nests_them_without_indentation() {
    let body = parse("Watch for:\n- signs of infection:\n1. swelling\n2. pus\n- a fever\n", 1);
    let lists: Vec<String> =
        body.blocks.iter().filter(|b| matches!(b, Block::List { .. })).map(list_shape).collect();
    assert_eq!(lists, ["ul[signs of infection: ol[swelling, pus], a fever]"]);
}

#[test]
fn one_column_of_indentation_is_noise_and_deep_indentation_stops_nesting() {
    let body = parse("Steps:\n1. Wash\n 2. Dry\n3. Cover\n", 1);
    let lists: Vec<String> =
        body.blocks.iter().filter(|b| matches!(b, Block::List { .. })).map(list_shape).collect();
    assert_eq!(lists, ["ol[Wash, Dry, Cover]"]);
    // Every line two columns further in: three levels, then the rest in the deepest.
    let staircase: String = (0..2000).map(|i| format!("{}- item {i}\n", " ".repeat(2 * i))).collect();
    let body = parse(&format!("List:\n{staircase}"), 1);
    let mut words = 0;
    crate::model::for_each_inlines(&body.blocks, 0, &mut |inlines, _| {
        words += crate::model::plain_text(inlines).split_whitespace().count();
    });
    assert!(words >= 4000, "every item kept: {words} words");
}

#[test]
fn a_page_that_repeats_a_paragraph_prints_it_once_and_an_article_keeps_both() {
    let teaser =
        "Most minor burns heal in one to two weeks if you keep them clean and covered with a dressing.";
    let page = format!(
        "Skip to main content\nHome\nHealth A to Z\nBurns\n{teaser}\nCool the burn under cool running water for twenty minutes straight away.\n{teaser}\nShare this page\n"
    );
    let body = parse(&page, 1);
    let printed = texts(&body.blocks).iter().filter(|b| b.contains("Most minor burns heal")).count();
    assert_eq!(printed, 1, "{:?}", texts(&body.blocks));
    assert!(
        body.removed.iter().any(|r| r.reason == "repeated on the page" && r.line == 7),
        "{:?}",
        body.removed
    );
    // Written by staff, without page furniture: both stay.
    let article = format!(
        "Burns\n\n{teaser}\n\nCool the burn under cool running water for twenty minutes straight away.\n\n{teaser}\n"
    );
    let body = parse(&article, 1);
    let printed = texts(&body.blocks).iter().filter(|b| b.contains("Most minor burns heal")).count();
    assert_eq!(printed, 2, "{:?}", texts(&body.blocks));
}

#[test]
fn a_safety_lead_in_right_under_a_safety_heading_opens_its_box() {
    let body = parse(
        "Burns at home\nHold the burn under cool running water for twenty minutes as soon as you can.\nWhen to call your doctor\nCall 911 if:\n- The burn is bigger than your hand\n- The person has trouble breathing\n",
        1,
    );
    assert_eq!(
        texts(&body.blocks)[1..],
        ["H: When to call your doctor", "P: Call 911 if:", "L: 2 items"],
        "{:?}",
        texts(&body.blocks)
    );
}

#[test]
fn a_paste_cut_inside_a_nested_list_item_is_said_to_be_truncated() {
    let body = parse(
        "Burns\nCool the burn under running water for twenty minutes straight away.\nSee a doctor if:\n- the burn is large\n- you notice:\n    - trouble breathing,\n    - a fast heartbeat,\n",
        1,
    );
    assert!(
        body.warnings.iter().any(|w| w.message.contains("ends inside a list item")),
        "{:?} {:?}",
        texts(&body.blocks),
        body.warnings
    );
}
