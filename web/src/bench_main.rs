fn main() {
    pillarlint_web::start_bench();
}
