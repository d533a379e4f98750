//! Exact amounts: parsing decimal text into rationals and printing them back.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

/// An exact amount of money, points or satisfaction.
///
/// Money in the platform is integer cents; Pabulib files may use fractional amounts, so the rules
/// work on exact rationals and never round.
pub type Amount = BigRational;

/// Builds an [`Amount`] from an integer (for example a number of cents or whole euros).
#[must_use]
pub fn amount(value: i64) -> Amount {
    BigRational::from_integer(BigInt::from(value))
}

/// Parses a number as written in Pabulib files: `1200`, `-3`, `1200.50`, `1200,50` (decimal
/// comma) or `7/3`. Returns `None` for anything else (no exponents, no thousands separators).
#[must_use]
pub fn parse_amount(text: &str) -> Option<Amount> {
    let text = text.trim();
    if let Some((num, den)) = text.split_once('/') {
        let num = parse_integer(num.trim())?;
        let den = parse_integer(den.trim())?;
        if den.is_zero() {
            return None;
        }
        return Some(BigRational::new(num, den));
    }
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = match digits.find(['.', ',']) {
        Some(pos) => (&digits[..pos], &digits[pos + 1..]),
        None => (digits, ""),
    };
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Guard against absurdly long numbers that would only waste memory and time.
    if whole.len() + fraction.len() > 200 {
        return None;
    }
    let mut all = String::with_capacity(whole.len() + fraction.len() + 1);
    all.push_str(whole);
    all.push_str(fraction);
    let mut numerator: BigInt = all.parse().ok()?;
    if negative {
        numerator = -numerator;
    }
    let denominator = num_traits::pow(BigInt::from(10u32), fraction.len());
    Some(BigRational::new(numerator, denominator))
}

fn parse_integer(text: &str) -> Option<BigInt> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 200 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Writes an amount exactly: as a decimal when it has a finite decimal expansion, else as `p/q`.
/// [`parse_amount`] reads the result back to the same value.
#[must_use]
pub fn format_exact(value: &Amount) -> String {
    if value.is_integer() {
        return value.numer().to_string();
    }
    let mut den = value.denom().clone();
    let two = BigInt::from(2u32);
    let five = BigInt::from(5u32);
    let mut twos = 0usize;
    let mut fives = 0usize;
    while den.is_even() {
        den /= &two;
        twos += 1;
    }
    while (&den % &five).is_zero() {
        den /= &five;
        fives += 1;
    }
    if !den.is_one() {
        return format!("{}/{}", value.numer(), value.denom());
    }
    let places = twos.max(fives);
    let scaled = value * BigRational::from_integer(num_traits::pow(BigInt::from(10u32), places));
    let digits = scaled.numer().abs().to_string();
    let digits = format!("{digits:0>width$}", width = places + 1);
    let (whole, fraction) = digits.split_at(digits.len() - places);
    let sign = if value.is_negative() { "-" } else { "" };
    format!("{sign}{whole}.{fraction}")
}

/// Formats an amount of money for people: rounded down to cents, thousands separated by commas,
/// cents only when not zero (`3,120`, `4,000.50`). The currency is prefixed (`€`) or suffixed
/// (`PLN`) as is usual for it.
#[must_use]
pub fn format_money(value: &Amount, currency: &str) -> String {
    let cents = (value * BigRational::from_integer(BigInt::from(100u32))).floor();
    let cents = cents.numer().clone();
    let negative = cents.is_negative();
    let cents = cents.abs();
    let hundred = BigInt::from(100u32);
    let (whole, rest) = cents.div_rem(&hundred);
    let whole = whole.to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let mut number = if negative {
        format!("-{grouped}")
    } else {
        grouped
    };
    if !rest.is_zero() {
        number.push_str(&format!(".{rest:0>2}"));
    }
    match currency {
        "EUR" | "€" => format!("€{number}"),
        "USD" | "$" => format!("${number}"),
        "" => number,
        other => format!("{number} {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_comma_and_point_parse_to_the_same_value() {
        assert_eq!(parse_amount("1200,5"), parse_amount("1200.50"));
        assert_eq!(parse_amount("7/2"), parse_amount("3.5"));
        assert_eq!(parse_amount("-3"), Some(amount(-3)));
        assert_eq!(parse_amount("abc"), None);
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("."), None);
        assert_eq!(parse_amount("1/0"), None);
        assert_eq!(parse_amount("1e3"), None);
    }

    #[test]
    fn exact_format_round_trips() {
        for text in ["0", "12", "-12.5", "0.001", "1/3", "-2/7", "1000000.25"] {
            let value = parse_amount(text).expect("valid");
            assert_eq!(parse_amount(&format_exact(&value)), Some(value), "{text}");
        }
        assert_eq!(format_exact(&amount(5)), "5");
        assert_eq!(format_exact(&BigRational::new(1.into(), 8.into())), "0.125");
    }

    #[test]
    fn money_is_grouped_and_rounded_down_to_cents() {
        assert_eq!(format_money(&amount(3120), "EUR"), "€3,120");
        assert_eq!(
            format_money(&BigRational::new(400_050.into(), 100.into()), "PLN"),
            "4,000.50 PLN"
        );
        assert_eq!(
            format_money(&BigRational::new(1.into(), 3.into()), ""),
            "0.33"
        );
        assert_eq!(format_money(&amount(999), ""), "999");
        assert_eq!(format_money(&amount(1_000_000), "USD"), "$1,000,000");
    }
}
