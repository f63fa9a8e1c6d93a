fn main() {
    pillarlint_web::start_rules();
}
