fn main() {
    let v: serde_json::Value = serde_json::from_str("{\"a\":1}").unwrap();
    let r = regex::Regex::new("a+").unwrap();
    println!("{} {}", v, r.is_match("aa"));
}
