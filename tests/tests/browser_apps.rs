//! Whole apps in the browser (issue 20): a folder opened with "Open folder…" (a SAM/CFN app
//! with a nested stack), a `.zip` of a cdk.out dropped on the editor (stored and deflated
//! entries), each read in the page and never uploaded, saved as one app document, drawn
//! with its stacks as groups, its findings naming their files, the editor switching files,
//! kept on reload, and shared as a link that reopens the same app.
//!
//! Needs `dist/` from `trunk build --release` (index.html and terraform.html, which reads
//! apps), Chromium + ChromeDriver (scripts/bootstrap.sh). `PILLARLINT_SCREENSHOTS=<dir>`
//! saves a 1440×900 screenshot of the dropped CDK app there.

use pillarlint_tests::e2e::{self, check, open_fresh, Ctx, Scenario};
use pillarlint_tests::paths;
use pillarlint_tests::webdriver::Result;
use serde_json::{json, Value};

fn main() {
    let scenarios: &[Scenario] = &[
        ("a_folder_of_nested_stacks", a_folder_of_nested_stacks),
        ("a_zip_of_a_cdk_app", a_zip_of_a_cdk_app),
        (
            "a_folder_of_terraform_files_is_one_module",
            a_folder_of_terraform_files_is_one_module,
        ),
        (
            "a_parse_error_is_shown_with_the_file_it_is_in",
            a_parse_error_is_shown_with_the_file_it_is_in,
        ),
    ];
    e2e::run(
        "browser_apps",
        &["index.html", "terraform.html", "apps/read.js"],
        (1440, 900),
        scenarios,
    );
}

fn fixtures() -> std::path::PathBuf {
    paths::root().join("core/tests/app-fixtures")
}

/// Nodes drawn, a collapsed box counting for its members.
const NODES: &str = "return [...document.querySelectorAll('#diagram [data-node-id]')]\
    .reduce((a, e) => a + (+e.getAttribute('data-collapsed') || 1), 0);";

fn count(cx: &Ctx) -> Result<u64> {
    Ok(cx.b.js(NODES, vec![])?.as_u64().unwrap_or(0))
}

/// Wait for the app page to draw an app (the file picker and a diagram with groups).
fn wait_app(cx: &Ctx, what: &str) -> Result<Value> {
    cx.b.wait_for(
        what,
        "const s = document.querySelector('#app-file'); \
         const g = document.querySelectorAll('#diagram [data-group-id]'); \
         return location.pathname.endsWith('terraform.html') && s && g.length > 0 \
           && {files: [...s.options].map(o => o.textContent), shown: s.selectedOptions[0].textContent, \
               groups: [...g].map(e => e.getAttribute('data-group-id')), \
               nodes: [...document.querySelectorAll('#diagram [data-node-id]')].map(e => e.getAttribute('data-node-id'))};",
        40,
    )
}

fn editor(cx: &Ctx) -> Result<String> {
    Ok(cx
        .b
        .js("return document.querySelector('#editor').value;", vec![])?
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

fn a_folder_of_nested_stacks(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    // a copy of the fixture with a file the reader must leave out
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let app = dir.path().join("orders-app");
    std::fs::create_dir_all(app.join("stacks")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(app.join("node_modules/x")).map_err(|e| e.to_string())?;
    for f in ["template.yaml", "stacks/data.yaml"] {
        std::fs::copy(fixtures().join("nested").join(f), app.join(f)).map_err(|e| e.to_string())?;
    }
    std::fs::write(app.join("node_modules/x/template.yaml"), "Resources: {}\n")
        .map_err(|e| e.to_string())?;
    std::fs::write(app.join("handler.py"), "def handler(e, c): pass\n")
        .map_err(|e| e.to_string())?;
    cx.b.type_into("#open-folder", &app.to_string_lossy())?;
    let v = match wait_app(cx, "the nested app in terraform.html") {
        Ok(v) => v,
        Err(e) => {
            let d = cx.b.js(
                "return {href: location.href, notice: (document.querySelector('#app-notice') || {}).textContent,                  input: (document.querySelector('#open-folder') || {}).outerHTML,                  docs: localStorage.getItem('pillarlint.docs'), picker: !!document.querySelector('#app-file'),                  groups: document.querySelectorAll('#diagram [data-group-id]').length,                  err: (document.querySelector('#parse-error') || {}).textContent};",
                vec![],
            )?;
            return Err(format!("{e}: {d}"));
        }
    };
    let files: Vec<&str> = v["files"]
        .as_array()
        .map_or_else(Vec::new, |a| a.iter().filter_map(Value::as_str).collect());
    check(
        files == ["orders-app/template.yaml", "orders-app/stacks/data.yaml"],
        format!(
            "the app's files, the main template first, node_modules and .py left out: {files:?}"
        ),
    )?;
    check(
        v["shown"] == json!("orders-app/template.yaml"),
        format!("the editor shows the main template first: {}", v["shown"]),
    )?;
    check(
        v["groups"]
            .as_array()
            .is_some_and(|g| g.iter().any(|g| g == "Data")),
        format!("the child stack is a group: {}", v["groups"]),
    )?;
    check(
        v["nodes"].as_array().is_some_and(|n| {
            n.iter()
                .any(|n| n.as_str().is_some_and(|n| n.contains("OrdersTable")))
        }),
        format!("the child stack's table is drawn: {}", v["nodes"]),
    )?;
    let nodes = count(cx)?;
    // a finding in the child file names it; clicking it shows that file at its line
    let child = cx.b.wait_for(
        "a finding of the child file",
        "const f = [...document.querySelectorAll('.finding[data-file]')].find(f => f.getAttribute('data-file').endsWith('stacks/data.yaml')); \
         return f ? (f.querySelector('.finding-main').click(), f.getAttribute('data-rule')) : null;",
        20,
    )?;
    cx.b.wait_for(
        "the editor switched to the child file",
        "return document.querySelector('#app-file').selectedOptions[0].textContent === 'orders-app/stacks/data.yaml' \
           && document.querySelector('#editor').value.startsWith('# The data stack');",
        10,
    )?;
    println!("    finding {child} in stacks/data.yaml switched the editor");
    // the picker switches back; an edit in the main template re-analyses the whole app
    cx.b.js(
        "const s = document.querySelector('#app-file'); s.value = s.options[0].value; \
         s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "the main template again",
        "return document.querySelector('#editor').value.startsWith('# A CloudFormation app');",
        10,
    )?;
    let text = editor(cx)?;
    let edited = text.replace("  Api:\n", "  Extra:\n    Type: AWS::SQS::Queue\n  Api:\n");
    cx.b.paste_into("#editor", &edited)?;
    cx.b.wait_for(
        "the edit drawn",
        &format!("{} > {nodes};", NODES.trim_end_matches(';')),
        20,
    )?;
    let edited_nodes = count(cx)?;
    check(
        cx.b.js(
            "return document.querySelectorAll('#diagram [data-group-id]').length > 0;",
            vec![],
        )? == json!(true),
        "still grouped after the edit",
    )?;
    // reload: the app document is kept, with the edit
    cx.b.js("location.reload(); return true;", vec![])?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    wait_app(cx, "the app after a reload")?;
    cx.b.wait_for(
        "the edit kept",
        &format!("{} >= {edited_nodes};", NODES.trim_end_matches(';')),
        20,
    )?;
    check(
        cx.b.js(
            "return document.querySelector('#editor').value.includes('Extra:');",
            vec![],
        )? == json!(true),
        "the edited main template is kept on reload",
    )?;
    let recent = cx.b.js(
        "return [...document.querySelectorAll('[data-doc-id]')].map(e => e.textContent).join(' | ');",
        vec![],
    )?;
    println!("    recent: {recent}");
    // share: the link carries every file and reopens the same app
    cx.b.click("#share-button")?;
    let link = cx.b.wait_for(
        "the share link",
        "const d = document.querySelector('#share-dialog'); const l = document.querySelector('#share-link'); \
         return d && d.open && l && l.value.length > 0 && l.value;",
        30,
    )?;
    let link = link.as_str().unwrap_or_default().to_owned();
    check(
        link.contains("terraform.html#"),
        format!("an app link: {link}"),
    )?;
    let state = pillarlint_core::permalink::decode(&link).map_err(|e| e.to_string())?;
    let carried: Vec<&str> = state.all_files().iter().map(|(p, _)| *p).collect();
    check(
        carried == ["template.yaml", "stacks/data.yaml"],
        format!("the link carries the app's files, relative: {carried:?}"),
    )?;
    let drawn = count(cx)?;
    cx.b.goto("about:blank")?;
    cx.b.goto(&cx.server.url("/index.html"))?;
    cx.b.js("localStorage.clear(); return true;", vec![])?;
    // opened from the first page: it moves to the page that reads apps, keeping the link
    let first = link.replace("terraform.html#", "index.html#");
    cx.b.goto("about:blank")?;
    cx.b.goto(&first)?;
    wait_app(cx, "the shared app")?;
    cx.b.wait_for(
        "the shared app drawn",
        &format!("{} >= {drawn};", NODES.trim_end_matches(';')),
        20,
    )?;
    check(
        count(cx)? == drawn,
        format!("the link reopens {drawn} nodes, not {}", count(cx)?),
    )?;
    Ok(())
}

/// The line and column the core's loader gives for `text`'s parse error.
fn parse_error_at(text: &str) -> Result<(u32, u32)> {
    match pillarlint_core::parse::load(text, &pillarlint_core::parse::Limits::default()) {
        Err(e) => Ok((e.line, e.column)),
        Ok(_) => Err("the broken text parses".to_owned()),
    }
}

/// Show the app's file whose path ends with `suffix` in the editor.
fn show_file(cx: &Ctx, suffix: &str) -> Result<()> {
    cx.b.js(
        "const s = document.querySelector('#app-file'); \
         const o = [...s.options].find(o => o.textContent.endsWith(arguments[0])); \
         s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![json!(suffix)],
    )?;
    cx.b.wait_for(
        "the file shown",
        &format!("return document.querySelector('#app-file').selectedOptions[0].textContent.endsWith({});", json!(suffix)),
        10,
    )?;
    Ok(())
}

/// The banner of the editor: (line, column) of `#parse-error`, and the file named by
/// `#app-error-elsewhere`.
const BANNERS: &str = "const e = document.querySelector('#parse-error'); \
    const o = document.querySelector('#app-error-elsewhere'); \
    return {at: e && [+e.getAttribute('data-line'), +e.getAttribute('data-column')], \
            elsewhere: o && o.getAttribute('data-file')};";

fn a_parse_error_is_shown_with_the_file_it_is_in(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let app = dir.path().join("broken-app");
    std::fs::create_dir_all(app.join("stacks")).map_err(|e| e.to_string())?;
    let root = std::fs::read_to_string(fixtures().join("nested/template.yaml"))
        .map_err(|e| e.to_string())?;
    let child = std::fs::read_to_string(fixtures().join("nested/stacks/data.yaml"))
        .map_err(|e| e.to_string())?
        .replace(
            "BillingMode: PAY_PER_REQUEST",
            "BillingMode: [PAY_PER_REQUEST",
        );
    let child_at = parse_error_at(&child)?;
    std::fs::write(app.join("template.yaml"), &root).map_err(|e| e.to_string())?;
    std::fs::write(app.join("stacks/data.yaml"), &child).map_err(|e| e.to_string())?;
    cx.b.type_into("#open-folder", &app.to_string_lossy())?;
    cx.b.wait_for(
        "the app with a broken child drawn",
        &format!(
            "return location.pathname.endsWith('terraform.html') && !!document.querySelector('#app-file') && {}",
            NODES.trim_start_matches("return ").trim_end_matches(';')
        ),
        40,
    )?;
    // the main template reads: no banner while it is shown
    let v = cx.b.js(BANNERS, vec![])?;
    check(
        v == json!({"at": null, "elsewhere": null}),
        format!("no banner on the main template: {v}"),
    )?;
    // the child's own error, at its position in the child
    show_file(cx, "stacks/data.yaml")?;
    let v = cx.b.wait_for(
        "the child's parse error",
        &format!("const v = (() => {{ {BANNERS} }})(); return v.at && v;"),
        10,
    )?;
    check(
        v["at"] == json!([child_at.0, child_at.1]) && v["elsewhere"].is_null(),
        format!("the child's error at {child_at:?}: {v}"),
    )?;
    // break the main template: shown there at its position, and named from the child
    show_file(cx, "/template.yaml")?;
    let broken_root = root.replacen("Resources:", "Resources: [", 1);
    let root_at = parse_error_at(&broken_root)?;
    cx.b.paste_into("#editor", &broken_root)?;
    let v = cx.b.wait_for(
        "the main template's parse error",
        &format!(
            "const v = (() => {{ {BANNERS} }})(); return v.at && v.at[0] === {} && v;",
            root_at.0
        ),
        20,
    )?;
    check(
        v["at"] == json!([root_at.0, root_at.1]),
        format!("the main template's error at {root_at:?}: {v}"),
    )?;
    show_file(cx, "stacks/data.yaml")?;
    let v = cx.b.wait_for(
        "the main template's error named from the child",
        &format!("const v = (() => {{ {BANNERS} }})(); return v.elsewhere && v;"),
        10,
    )?;
    check(
        v["at"].is_null() && v["elsewhere"] == json!("broken-app/template.yaml"),
        format!("no position of another file in the child, the file named: {v}"),
    )?;
    // its button shows that file
    cx.b.click("#app-error-elsewhere button")?;
    cx.b.wait_for(
        "the main template shown from the notice",
        &format!(
            "const v = (() => {{ {BANNERS} }})(); return !!v.at && v.at[0] === {} && !v.elsewhere;",
            root_at.0
        ),
        10,
    )?;
    Ok(())
}

fn a_zip_of_a_cdk_app(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let mut files = Vec::new();
    let dir = fixtures().join("cdk.out");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for (i, n) in names.iter().enumerate() {
        let bytes = std::fs::read(dir.join(n)).map_err(|e| e.to_string())?;
        // stored and deflated entries alike
        files.push((format!("cdk.out/{n}"), bytes, i % 2 == 0));
    }
    files.push((
        "cdk.out/asset.1234/package.json".to_owned(),
        b"{}".to_vec(),
        true,
    ));
    let entries: Vec<(&str, &[u8], bool)> = files
        .iter()
        .map(|(n, d, z)| (n.as_str(), d.as_slice(), *z))
        .collect();
    let bytes = pillarlint_core::app::zip::write(&entries);
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    cx.b.js(
        "const bin = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0)); \
         const dt = new DataTransfer(); dt.items.add(new File([bin], 'library-app.zip', {type: 'application/zip'})); \
         const el = document.querySelector('#editor-pane'); \
         el.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt})); return true;",
        vec![json!(b64)],
    )?;
    let v = wait_app(cx, "the dropped CDK app in terraform.html")?;
    let listed: Vec<&str> = v["files"]
        .as_array()
        .map_or_else(Vec::new, |a| a.iter().filter_map(Value::as_str).collect());
    check(
        listed
            .iter()
            .all(|f| f.starts_with("cdk.out/") && !f.contains("asset.")),
        format!("the zip's files, assets left out: {listed:?}"),
    )?;
    check(
        listed.contains(&"cdk.out/LibraryStackPublicStack2C1A1264.nested.template.json"),
        format!("the nested stack's template is read from a deflated or stored entry: {listed:?}"),
    )?;
    let groups = v["groups"].as_array().cloned().unwrap_or_default();
    check(
        groups.iter().any(|g| g == "LibraryStack/PublicStack"),
        format!("the CDK app's nested stack is a group, by its construct path: {groups:?}"),
    )?;
    // the same graph as the core (and the CLI) reads from the same files
    let kept: Vec<_> = files
        .iter()
        .filter(|(p, _, _)| pillarlint_core::app::wanted(p))
        .collect();
    let set: pillarlint_core::app::FileSet<'_> = kept
        .iter()
        .map(|(p, b, _)| (p.as_str(), b.as_slice()))
        .collect();
    let want: std::collections::BTreeSet<String> = pillarlint_core::app::analyze_set(&set)
        .iter()
        .filter_map(|a| a.view())
        .max_by_key(|v| v.nodes.len())
        .map(|v| v.nodes.into_iter().map(|n| n.id).collect())
        .unwrap_or_default();
    let drawn: std::collections::BTreeSet<String> = v["nodes"]
        .as_array()
        .map(|n| {
            n.iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    check(
        !want.is_empty() && drawn == want,
        format!("the diagram draws the core's app: {drawn:?} vs {want:?}"),
    )?;
    println!("    groups {groups:?}, {} nodes", count(cx)?);
    if let Ok(out) = std::env::var("PILLARLINT_SCREENSHOTS") {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let png = cx.b.screenshot()?;
        let path = std::path::Path::new(&out).join("app-cdk-zip-1440x900.png");
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        println!("    screenshot {}", path.display());
    }
    // a .zip that is not one says so, and nothing is lost
    cx.b.js(
        "const dt = new DataTransfer(); dt.items.add(new File(['not a zip'], 'broken.zip')); \
         document.querySelector('#editor-pane').dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt})); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "the notice about the broken zip",
        "const n = document.querySelector('#app-notice'); return n && n.textContent.includes('broken.zip');",
        10,
    )?;
    Ok(())
}

const TF_MAIN: &str = r#"resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  environment {
    variables = {
      TABLE       = aws_dynamodb_table.t.name
      DB_PASSWORD = "SuperSecret123"
    }
  }
}
"#;

const TF_DATA: &str = r#"resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
}
"#;

/// Issue 21: a folder of `.tf` files (a module directory) opened in the app is read as one
/// Terraform module, as `pillarlint check infra/` reads it: one app, `main.tf` first,
/// references across files resolved, findings naming the file that declares them; the
/// provider cache (`.terraform/`) left out.
fn a_folder_of_terraform_files_is_one_module(cx: &Ctx) -> Result<()> {
    open_fresh(cx)?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let infra = dir.path().join("infra");
    std::fs::create_dir_all(infra.join(".terraform/modules")).map_err(|e| e.to_string())?;
    std::fs::write(infra.join("main.tf"), TF_MAIN).map_err(|e| e.to_string())?;
    std::fs::write(infra.join("data.tf"), TF_DATA).map_err(|e| e.to_string())?;
    std::fs::write(
        infra.join(".terraform/modules/modules.json"),
        "{\"Modules\": []}\n",
    )
    .map_err(|e| e.to_string())?;
    cx.b.type_into("#open-folder", &infra.to_string_lossy())?;
    let v = cx.b.wait_for(
        "the module in terraform.html",
        "const s = document.querySelector('#app-file'); \
         return location.pathname.endsWith('terraform.html') && s \
           && !!document.querySelector('#diagram [data-node-id=\"aws_lambda_function.f\"]') \
           && {files: [...s.options].map(o => o.textContent), \
               nodes: [...document.querySelectorAll('#diagram [data-node-id]')].map(e => e.getAttribute('data-node-id')).sort()};",
        40,
    )?;
    check(
        v["files"] == json!(["infra/main.tf", "infra/data.tf"]),
        format!(
            "the module's files, main.tf first, .terraform left out: {}",
            v["files"]
        ),
    )?;
    // what the core draws for the same module
    let files = [("infra/main.tf", TF_MAIN), ("infra/data.tf", TF_DATA)];
    let set: pillarlint_core::app::FileSet<'_> =
        files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    let apps = pillarlint_core::app::analyze_set(&set);
    let view = apps
        .first()
        .and_then(pillarlint_core::app::App::view)
        .ok_or("the core reads no module")?;
    let mut want: Vec<String> = view.nodes.iter().map(|n| n.id.clone()).collect();
    want.sort();
    check(
        v["nodes"] == json!(want),
        format!(
            "diagram nodes {} differ from the core's {want:?}",
            v["nodes"]
        ),
    )?;
    // the literal secret is a finding of main.tf; clicking it keeps main.tf at its line
    let line = TF_MAIN
        .lines()
        .position(|l| l.contains("DB_PASSWORD"))
        .map(|i| i + 1)
        .ok_or("the secret's line")?;
    let f = cx.b.wait_for(
        "the secret's finding, in main.tf",
        "const f = document.querySelector('.finding[data-rule=\"AUTH008\"][data-file]'); \
         return f && f.getAttribute('data-file');",
        10,
    )?;
    check(
        f == json!("infra/main.tf"),
        format!("the finding names main.tf: {f}"),
    )?;
    // the other file's own text, picked in the editor
    cx.b.js(
        "const s = document.querySelector('#app-file'); s.value = s.options[1].value; \
         s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )?;
    cx.b.wait_for(
        "data.tf in the editor",
        "return document.querySelector('#editor').value.startsWith('resource \"aws_iam_role\"');",
        10,
    )?;
    println!(
        "    module of 2 files: {} nodes, AUTH008 at main.tf:{line}",
        want.len()
    );
    Ok(())
}
