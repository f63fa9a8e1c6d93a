fn main() {
    pillarlint_web::start();
}
