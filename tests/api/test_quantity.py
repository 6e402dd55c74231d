"""Quantities parse, compare and print as apimachinery's resource.Quantity (v1.32)."""
import pytest

from kubelearn.api.quantity import (BINARY_SI, DECIMAL_EXPONENT, DECIMAL_SI, ERR_FORMAT_WRONG,
                                    Quantity, QuantityParseError, format_quantity, parse_quantity,
                                    quantity_from_json, to_int, to_milli)

REGEX_MESSAGE = ("quantities must match the regular expression "
                 "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


@pytest.mark.parametrize("text, shown, fmt", [
    # Canonical as written: the text is kept.
    ("500m", "500m", DECIMAL_SI),
    ("1Gi", "1Gi", BINARY_SI),
    ("2", "2", DECIMAL_SI),
    ("100Mi", "100Mi", BINARY_SI),
    ("1e3", "1e3", DECIMAL_EXPONENT),
    ("129e6", "129e6", DECIMAL_EXPONENT),
    ("128974848", "128974848", DECIMAL_SI),
    ("123Mi", "123Mi", BINARY_SI),
    ("100M", "100M", DECIMAL_SI),
    ("1n", "1n", DECIMAL_SI),
    ("+1", "+1", DECIMAL_SI),
    ("1e+3", "1e+3", DECIMAL_EXPONENT),
    # Not canonical: the API server rewrites them.
    ("1000m", "1", DECIMAL_SI),
    ("0.5", "500m", DECIMAL_SI),
    ("1.5", "1500m", DECIMAL_SI),
    (".5", "500m", DECIMAL_SI),
    ("0.0001", "100u", DECIMAL_SI),
    ("1000", "1k", DECIMAL_SI),
    ("1024Mi", "1Gi", BINARY_SI),
    ("2048Ki", "2Mi", BINARY_SI),
    ("8Mi", "8Mi", BINARY_SI),
    ("1536Mi", "1536Mi", BINARY_SI),
    ("1.5Gi", "1536Mi", BINARY_SI),
    ("0.5Gi", "512Mi", BINARY_SI),
    ("1.5Ki", "1536", BINARY_SI),
    ("0.5Ki", "512", BINARY_SI),
    ("1000e3", "1e6", DECIMAL_EXPONENT),
    ("1e10", "10e9", DECIMAL_EXPONENT),
    ("1.5e3", "1500", DECIMAL_EXPONENT),
    ("0.1n", "1n", DECIMAL_SI),          # rounded up to the smallest unit
    ("-0.5", "-500m", DECIMAL_SI),
    ("-1.5Gi", "-1536Mi", BINARY_SI),
    ("0", "0", DECIMAL_SI),
    ("0Mi", "0", BINARY_SI),
    ("00", "0", DECIMAL_SI),
])
def test_parse_and_print(text, shown, fmt):
    q = parse_quantity(text)
    assert (str(q), q.format) == (shown, fmt)


@pytest.mark.parametrize("text, message", [
    ("", REGEX_MESSAGE),
    ("abc", REGEX_MESSAGE),
    ("1GB", REGEX_MESSAGE),
    (" 1", REGEX_MESSAGE),
    ("1.5.5", REGEX_MESSAGE),
    ("1x", REGEX_MESSAGE),
    ("1mi", "unable to parse quantity's suffix"),
    ("1e", "unable to parse quantity's suffix"),
    ("1ee3", "unable to parse quantity's suffix"),
    ("1Gii", "unable to parse quantity's suffix"),
])
def test_parse_errors(text, message):
    with pytest.raises(QuantityParseError) as info:
        parse_quantity(text)
    assert str(info.value) == message
    assert ERR_FORMAT_WRONG == REGEX_MESSAGE


@pytest.mark.parametrize("value, shown", [(1, "1"), (2, "2"), (0.5, "500m"), (1.25, "1250m"),
                                          (1e-05, "10u"), (1e-07, "100e-9"), (1.0, "1"),
                                          (1024, "1024")])
def test_numbers_from_yaml(value, shown):
    assert format_quantity(value) == shown


def test_bool_is_not_a_quantity():
    with pytest.raises(QuantityParseError):
        parse_quantity(True)


def test_json_decoding_trims_and_keeps_null():
    assert str(quantity_from_json(" 250m ")) == "250m"
    assert quantity_from_json(None) is None
    with pytest.raises(QuantityParseError):
        Quantity.parse(" 250m ")


@pytest.mark.parametrize("a, b", [("1", "1000m"), ("1Gi", "1024Mi"), ("1k", "1000"),
                                  ("1e3", "1k"), ("0", "0Mi")])
def test_equal_values_compare_equal(a, b):
    assert parse_quantity(a) == parse_quantity(b)
    assert hash(parse_quantity(a)) == hash(parse_quantity(b))


def test_ordering():
    texts = ["1Gi", "500m", "1G", "2", "100Mi", "-1", "0"]
    ordered = [str(q) for q in sorted(parse_quantity(t) for t in texts)]
    assert ordered == ["-1", "0", "500m", "2", "100Mi", "1G", "1Gi"]
    assert parse_quantity("1Gi") > parse_quantity("1G")
    assert parse_quantity("999m") < parse_quantity("1")


@pytest.mark.parametrize("a, b, total", [
    ("500m", "500m", "1"),
    ("1Gi", "512Mi", "1536Mi"),
    ("100m", "1", "1100m"),
    ("0", "1Gi", "1Gi"),          # a zero takes the other side's format
    ("1Gi", "0", "1Gi"),
    ("250m", "250m", "500m"),
])
def test_add(a, b, total):
    assert str(parse_quantity(a) + parse_quantity(b)) == total


def test_sub_and_sum():
    assert str(parse_quantity("1") - parse_quantity("250m")) == "750m"
    total = sum((parse_quantity(t) for t in ["100m", "200m", "700m"]), Quantity(0))
    assert str(total) == "1"


@pytest.mark.parametrize("text, milli, whole", [
    ("500m", 500, 1),
    ("1", 1000, 1),
    ("2.5", 2500, 3),
    ("0.1m", 1, 1),
    ("1Gi", 1073741824000, 1073741824),
    ("128Mi", 134217728000, 134217728),
    ("1k", 1000000, 1000),
    ("-1.5", -1500, -2),
])
def test_to_milli_and_to_int_round_up(text, milli, whole):
    assert (to_milli(text), to_int(text)) == (milli, whole)
    assert (parse_quantity(text).to_milli(), parse_quantity(text).to_int()) == (milli, whole)


@pytest.mark.parametrize("make, shown", [
    (lambda: Quantity.from_milli(1500), "1500m"),
    (lambda: Quantity.from_milli(1000), "1"),
    (lambda: Quantity.from_milli(100), "100m"),
    (lambda: Quantity.from_int(2 ** 30, BINARY_SI), "1Gi"),
    (lambda: Quantity.from_int(1536, BINARY_SI), "1536"),
    (lambda: Quantity.from_int(3000), "3k"),
])
def test_constructors(make, shown):
    assert str(make()) == shown


def test_canonical_ignores_the_written_text():
    q = parse_quantity("+1")
    assert (str(q), q.canonical()) == ("+1", "1")


def test_binary_values_past_int64_are_capped():
    assert str(parse_quantity("100000000000000000000Gi")) == "9223372036854775807"
