"""Built-in functions, one expression each, evaluated as `SELECT VALUE <expr>`.

UNDEFINED as the expectation means the function returns undefined (so the result is empty).
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from data_assistant.cosmosql import UNDEFINED, CosmosQueryError, evaluate
from data_assistant.cosmosql.functions import REGISTRY


def value_of(expression: str) -> Any:
    result = evaluate(f"SELECT VALUE {expression}", [])
    assert len(result) <= 1
    return result[0] if result else UNDEFINED


def fn(expression: str, expected: Any) -> Any:
    return pytest.param(expression, expected, id=expression)


STRING_CASES = [
    fn('CONCAT("data", "-", "assistant")', "data-assistant"),
    fn('CONCAT("a", 1)', UNDEFINED),
    fn('CONTAINS("Cosmos", "smo")', True),
    fn('CONTAINS("Cosmos", "SMO")', False),
    fn('CONTAINS("Cosmos", "SMO", true)', True),
    fn('CONTAINS(42, "4")', UNDEFINED),
    fn('STARTSWITH("Cosmos", "Cos")', True),
    fn('STARTSWITH("Cosmos", "cos", false)', False),
    fn('ENDSWITH("Cosmos", "MOS", true)', True),
    fn('INDEX_OF("banana", "an")', 1),
    fn('INDEX_OF("banana", "an", 2)', 3),
    fn('INDEX_OF("banana", "x")', -1),
    fn('LEFT("Cosmos", 3)', "Cos"),
    fn('LEFT("Cosmos", 50)', "Cosmos"),
    fn('RIGHT("Cosmos", 3)', "mos"),
    fn('RIGHT("Cosmos", 0)', ""),
    fn('LENGTH("Cosmos")', 6),
    fn("LENGTH([1, 2])", UNDEFINED),
    fn('LOWER("MiXeD")', "mixed"),
    fn('UPPER("MiXeD")', "MIXED"),
    fn('LTRIM("  pad  ")', "pad  "),
    fn('RTRIM("  pad  ")', "  pad"),
    fn('TRIM("  pad  ")', "pad"),
    fn('TRIM("**pad**", "*")', "pad"),
    fn('LTRIM("xxpadxx", "x")', "padxx"),
    fn('REPLACE("a-b-c", "-", "+")', "a+b+c"),
    fn('REPLICATE("ab", 3)', "ababab"),
    fn('REPLICATE("ab", -1)', UNDEFINED),
    fn('REVERSE("abc")', "cba"),
    fn('SUBSTRING("Cosmos", 1, 3)', "osm"),
    fn('SUBSTRING("Cosmos", 4, 10)', "os"),
    fn('SUBSTRING("Cosmos", 2, 0)', ""),
    fn("ToString(12)", "12"),
    fn("ToString(1.5)", "1.5"),
    fn("ToString(2.0)", "2"),
    fn("ToString(null)", "null"),
    fn('ToString({"a": [1, true]})', '{"a":[1,true]}'),
    fn("ToString(undefined)", UNDEFINED),
    fn('StringToArray("[1, \\"two\\"]")', [1, "two"]),
    fn('StringToArray("not json")', UNDEFINED),
    fn('StringToBoolean(" false ")', False),
    fn('StringToBoolean("False")', UNDEFINED),
    fn('StringToNull(" null")', None),
    fn('StringToNumber("1e3")', 1000),
    fn('StringToNumber("0x10")', UNDEFINED),
    fn('StringToObject("{\\"k\\": 1}")', {"k": 1}),
    fn('StringToObject("[1]")', UNDEFINED),
    fn('RegexMatch("cosmos", "^c.s")', True),
    fn('RegexMatch("cosmos", "^C", "i")', True),
    fn('RegexMatch("cosmos", "z+")', False),
    fn('StringEquals("abc", "ABC")', False),
    fn('StringEquals("abc", "ABC", true)', True),
    fn('StringJoin(["a", "b", "c"], ", ")', "a, b, c"),
    fn('StringSplit("a,b,c", ",")', ["a", "b", "c"]),
]

ARRAY_CASES = [
    fn("ARRAY_CONCAT([1], [2, 3], [])", [1, 2, 3]),
    fn('ARRAY_CONCAT([1], "x")', UNDEFINED),
    fn("ARRAY_CONTAINS([1, 2, 3], 2)", True),
    fn('ARRAY_CONTAINS([1, 2, 3], "2")', False),
    fn("ARRAY_CONTAINS([{a: 1, b: 2}], {a: 1})", False),
    fn("ARRAY_CONTAINS([{a: 1, b: 2}], {a: 1}, true)", True),
    fn("ARRAY_CONTAINS([[1, 2]], [1, 2])", True),
    fn("ARRAY_CONTAINS_ANY([1, 2, 3], 5, 3)", True),
    fn("ARRAY_CONTAINS_ANY([1, 2, 3], 5, 6)", False),
    fn("ARRAY_CONTAINS_ALL([1, 2, 3], 1, 3)", True),
    fn("ARRAY_CONTAINS_ALL([1, 2, 3], 1, 4)", False),
    fn("ARRAY_CONTAINS_ANY([1, 2], 2, undefined)", True),
    fn("ARRAY_CONTAINS_ANY([1, 2], 3, undefined)", UNDEFINED),
    fn("ARRAY_CONTAINS_ALL([1, 2], 2, undefined)", UNDEFINED),
    fn("ARRAY_CONTAINS_ALL([1, 2], 3, undefined)", False),
    fn("ARRAY_CONTAINS_ANY([[1], {a: true}], {a: true})", True),
    fn("ARRAY_LENGTH([1, [2, 3]])", 2),
    fn('ARRAY_LENGTH("abc")', UNDEFINED),
    fn("ARRAY_SLICE([1, 2, 3, 4], 1)", [2, 3, 4]),
    fn("ARRAY_SLICE([1, 2, 3, 4], 1, 2)", [2, 3]),
    fn("ARRAY_SLICE([1, 2, 3, 4], -3, 2)", [2, 3]),
    fn("ARRAY_SLICE([1, 2, 3, 4], 2, -1)", []),
    fn('CHOOSE(2, "a", "b", "c")', "b"),
    fn('CHOOSE(4, "a", "b", "c")', UNDEFINED),
    fn("ObjectToArray({x: 1})", [{"k": "x", "v": 1}]),
    fn('ObjectToArray({x: 1}, "name", "value")', [{"name": "x", "value": 1}]),
    fn("SetIntersect([1, 2, 2, 3], [3, 2, 9])", [3, 2]),
    fn('SetUnion(["a", "b"], ["b", "c", "c"])', ["a", "b", "c"]),
    fn("ARRAY_SUM([1, 2, 3.5])", 6.5),
    fn("ARRAY_AVG([2, 4])", 3),
    fn('ARRAY_MAX([3, "x", 7])', "x"),
    fn("ARRAY_MIN([3, 1, 2])", 1),
    fn("ARRAY_MEDIAN([5, 1, 3])", 3),
]

MATH_CASES = [
    fn("ABS(-2.5)", 2.5),
    fn('ABS("2")', UNDEFINED),
    fn("CEILING(1.2)", 2),
    fn("CEILING(-1.2)", -1),
    fn("FLOOR(-1.2)", -2),
    fn("ROUND(3.5)", 4),
    fn("ROUND(-3.5)", -4),
    fn("ROUND(3.49)", 3),
    fn("TRUNC(-7.9)", -7),
    fn("SIGN(-0.5)", -1),
    fn("SQRT(81)", 9),
    fn("SQUARE(1.5)", 2.25),
    fn("POWER(2, 10)", 1024),
    fn("POWER(2, -1)", 0.5),
    fn("EXP(1)", math.e),
    fn("LOG(100, 10)", 2),
    fn("LOG10(1000)", 3),
    fn("PI()", math.pi),
    fn("DEGREES(PI())", 180),
    fn("RADIANS(90)", math.pi / 2),
    fn("SIN(0)", 0),
    fn("COS(0)", 1),
    fn("TAN(PI() / 4)", 1),
    fn("COT(PI() / 4)", 1),
    fn("ASIN(1)", math.pi / 2),
    fn("ACOS(1)", 0),
    fn("ATAN(1)", math.pi / 4),
    fn("ATN2(1, 1)", math.pi / 4),
    fn("NumberBin(47, 10)", 40),
    fn("NumberBin(-47, 10)", -50),
    fn("NumberBin(1.234, 0.5)", 1),
    fn("NumberBin(5, 0)", UNDEFINED),
    fn("IntAdd(9007199254740992, 1)", 9007199254740993),
    fn("IntAdd(9223372036854775807, 1)", -9223372036854775808),
    fn("IntSub(3, 10)", -7),
    fn("IntMul(-4, 6)", -24),
    fn("IntDiv(-7, 2)", -3),
    fn("IntDiv(7, 0)", UNDEFINED),
    fn("IntMod(-7, 2)", -1),
    fn("IntBitAnd(12, 10)", 8),
    fn("IntBitOr(12, 10)", 14),
    fn("IntBitXor(12, 10)", 6),
    fn("IntBitNot(7)", -8),
    fn("IntBitLeftShift(3, 2)", 12),
    fn("IntBitRightShift(-16, 2)", -4),
    fn("IntAdd(1, 1.5)", UNDEFINED),
    fn("7 / 2", 3.5),
    fn("-7 % 3", -1),
    fn("7.5 % 2", 1.5),
    fn("1 / 0", math.inf),
    fn("~0", -1),
    fn("-1 >>> 28", 15),
]

TYPE_CASES = [
    fn("IS_ARRAY([])", True),
    fn("IS_ARRAY({})", False),
    fn("IS_BOOL(false)", True),
    fn("IS_BOOL(0)", False),
    fn("IS_DEFINED(null)", True),
    fn("IS_DEFINED({}.missing)", False),
    fn("IS_NULL(null)", True),
    fn("IS_NULL({}.missing)", False),
    fn("IS_NUMBER(1.5)", True),
    fn('IS_NUMBER("1.5")', False),
    fn("IS_OBJECT({a: 1})", True),
    fn("IS_OBJECT(null)", False),
    fn("IS_PRIMITIVE(null)", True),
    fn('IS_PRIMITIVE("s")', True),
    fn("IS_PRIMITIVE([1])", False),
    fn("IS_PRIMITIVE(undefined)", False),
    fn('IS_STRING("")', True),
    fn("IS_STRING(undefined)", False),
    fn("IS_FINITE_NUMBER(1e308)", True),
    fn("IS_FINITE_NUMBER(1e308 * 10)", False),
    fn("IS_FINITE_NUMBER(null)", False),
    fn("IS_INTEGER(42)", True),
    fn("IS_INTEGER(42.0)", True),
    fn("IS_INTEGER(42.5)", False),
    fn("IS_INTEGER(1e19)", False),
    fn('IIF(true, "yes", "no")', "yes"),
    fn('IIF(1, "yes", "no")', "no"),
    fn('IIF(undefined, "yes", "no")', "no"),
]

DATE_CASES = [
    fn('DateTimeAdd("day", 30, "2024-01-15T10:00:00.0000000Z")', "2024-02-14T10:00:00.0000000Z"),
    fn('DateTimeAdd("mm", 1, "2024-01-31T00:00:00.0000000Z")', "2024-02-29T00:00:00.0000000Z"),
    fn('DateTimeAdd("yy", -1, "2024-02-29T00:00:00Z")', "2023-02-28T00:00:00.0000000Z"),
    fn('DateTimeAdd("mi", 90, "2024-01-01T23:00:00Z")', "2024-01-02T00:30:00.0000000Z"),
    fn('DateTimeAdd("ms", 1, "2024-01-01T00:00:00.9995Z")', "2024-01-01T00:00:01.0005000Z"),
    fn('DateTimeAdd("week", 1, "2024-01-01T00:00:00Z")', UNDEFINED),
    fn('DateTimeAdd("dd", 1.5, "2024-01-01T00:00:00Z")', UNDEFINED),
    fn('DateTimeAdd("dd", 1, "yesterday")', UNDEFINED),
    fn('DateTimePart("yyyy", "1999-12-31T23:59:58.1234567Z")', 1999),
    fn('DateTimePart("ss", "1999-12-31T23:59:58.1234567Z")', 58),
    fn('DateTimePart("ms", "1999-12-31T23:59:58.1234567Z")', 123),
    fn('DateTimePart("mcs", "1999-12-31T23:59:58.1234567Z")', 123456),
    fn('DateTimePart("ns", "1999-12-31T23:59:58.1234567Z")', 123456700),
    fn('DateTimeDiff("yyyy", "2020-12-31T23:59:59Z", "2021-01-01T00:00:00Z")', 1),
    fn('DateTimeDiff("mm", "2020-01-31T00:00:00Z", "2020-03-01T00:00:00Z")', 2),
    fn('DateTimeDiff("dd", "2020-03-01T00:00:00Z", "2020-02-01T00:00:00Z")', -29),
    fn('DateTimeDiff("hh", "2020-01-01T10:59:00Z", "2020-01-01T11:01:00Z")', 1),
    fn('DateTimeDiff("ss", "2020-01-01T00:00:00Z", "2020-01-01T00:01:00Z")', 60),
    fn("DateTimeFromParts(2024, 2, 29)", "2024-02-29T00:00:00.0000000Z"),
    fn("DateTimeFromParts(2023, 2, 29)", UNDEFINED),
    fn("DateTimeFromParts(2024, 6, 1, 8, 5, 3, 25)", "2024-06-01T08:05:03.0000025Z"),
    fn('DateTimeBin("2024-05-17T13:47:10Z", "hh")', "2024-05-17T13:00:00.0000000Z"),
    fn('DateTimeBin("2024-05-17T13:47:10Z", "mi", 15)', "2024-05-17T13:45:00.0000000Z"),
    fn('DateTimeBin("2024-05-17T13:47:10Z", "dd", 7)', "2024-05-16T00:00:00.0000000Z"),
    fn(
        'DateTimeBin("2024-05-17T13:47:10Z", "dd", 7, "2024-01-01T00:00:00Z")',
        "2024-05-13T00:00:00.0000000Z",
    ),
    fn('DateTimeBin("2024-05-17T13:47:10Z", "yyyy")', UNDEFINED),
    fn('DateTimeToTicks("1970-01-01T00:00:01Z")', 10_000_000),
    fn('DateTimeToTimestamp("1970-01-02T00:00:00Z")', 86_400_000),
    fn("TicksToDateTime(10000001)", "1970-01-01T00:00:01.0000001Z"),
    fn("TimestampToDateTime(86400000)", "1970-01-02T00:00:00.0000000Z"),
    fn("TimestampToDateTime(-1000)", "1969-12-31T23:59:59.0000000Z"),
]

SPATIAL_CASES = [
    fn('ST_ISVALID({"type": "Point", "coordinates": [10, 50]})', True),
    fn('ST_ISVALID({"type": "Point", "coordinates": [10, 95]})', False),
    fn(
        'ST_ISVALIDDETAILED({"type": "Point", "coordinates": [200, 5]})',
        {"valid": False, "reason": "Longitude values must be between -180 and 180 degrees."},
    ),
    fn(
        'ST_WITHIN({"type": "Point", "coordinates": [0.5, 0.5]}, '
        '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]})',
        True,
    ),
    fn(
        'ST_WITHIN({"type": "Point", "coordinates": [1.5, 0.5]}, '
        '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]})',
        False,
    ),
    fn(
        'ST_INTERSECTS({"type": "Polygon", '
        '"coordinates": [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]}, '
        '{"type": "Polygon", "coordinates": [[[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]]})',
        True,
    ),
    fn(
        'ST_INTERSECTS({"type": "Polygon", '
        '"coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}, '
        '{"type": "Polygon", "coordinates": [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]})',
        False,
    ),
    fn(
        'ST_DISTANCE({"type": "Point", "coordinates": [0, 0]}, '
        '{"type": "Point", "coordinates": [0, 0]})',
        0,
    ),
    fn('ST_DISTANCE({"type": "Point", "coordinates": [0, 0]}, "nowhere")', UNDEFINED),
    fn('VectorDistance([1, 0], [0, 1])', 0),
    fn('VectorDistance([1, 2], [2, 4])', 1),
    fn('VectorDistance([1, 2], [3, 4], false, {distanceFunction: "dotproduct"})', 11),
    fn('VectorDistance([0, 0], [3, 4], false, {distanceFunction: "euclidean"})', 5),
]  # fmt: skip


def _same(actual: Any, expected: Any) -> bool:
    if expected is UNDEFINED or isinstance(expected, bool) or expected is None:
        return actual is expected
    if isinstance(expected, int | float) and not isinstance(actual, bool):
        return isinstance(actual, int | float) and math.isclose(
            actual, expected, rel_tol=1e-12, abs_tol=1e-12
        )
    return actual == expected and type(actual) is type(expected)


@pytest.mark.parametrize(
    ("expression", "expected"),
    STRING_CASES + ARRAY_CASES + MATH_CASES + TYPE_CASES + DATE_CASES + SPATIAL_CASES,
)
def test_function(expression, expected):
    actual = value_of(expression)
    assert _same(actual, expected), f"{expression} -> {actual!r}, expected {expected!r}"


def test_function_names_are_case_insensitive():
    assert value_of('lower("A")') == value_of('LOWER("A")') == value_of('Lower("A")') == "a"


def test_nan_results_are_numbers():
    assert math.isnan(value_of("SQRT(-1)"))
    assert value_of("ToString(SQRT(-1))") == "NaN"


def test_current_time_functions():
    now = value_of("GetCurrentDateTime()")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z", now)
    stamp = value_of("GetCurrentTimestamp()")
    ticks = value_of("GetCurrentTicks()")
    assert abs(ticks // 10_000 - stamp) < 60_000
    # The static variants give one value for the whole query.
    rows = evaluate("SELECT VALUE GetCurrentTicksStatic() FROM c", [{}, {}, {}])
    assert len(set(rows)) == 1


def test_rand_in_unit_interval():
    assert 0 <= value_of("RAND()") < 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT VALUE NOSUCH(1)", "not a recognized built-in function"),
        ("SELECT VALUE CONTAINZ('a', 'b')", "did you mean CONTAINS"),
        ("SELECT VALUE LOWER()", "LOWER takes 1 argument"),
        ("SELECT VALUE SUBSTRING('a', 1, 2, 3)", "SUBSTRING takes 3"),
        ("SELECT VALUE udf.tax(1)", "user-defined functions are not supported"),
        ("SELECT VALUE COUNT(1, 2)", "COUNT takes 1 argument"),
    ],
)
def test_function_errors(query, message):
    with pytest.raises(CosmosQueryError) as info:
        evaluate(query, [])
    assert message in str(info.value)


def test_every_documented_family_is_registered():
    for name in (
        "CONCAT", "CONTAINS", "ENDSWITH", "STARTSWITH", "INDEX_OF", "LEFT", "RIGHT", "LENGTH",
        "LOWER", "UPPER", "LTRIM", "RTRIM", "TRIM", "REPLACE", "REPLICATE", "REVERSE",
        "SUBSTRING", "TOSTRING", "STRINGTOARRAY", "STRINGTOBOOLEAN", "STRINGTONULL",
        "STRINGTONUMBER", "STRINGTOOBJECT", "REGEXMATCH", "STRINGEQUALS", "ARRAY_CONCAT",
        "ARRAY_CONTAINS", "ARRAY_CONTAINS_ANY", "ARRAY_CONTAINS_ALL", "ARRAY_LENGTH",
        "ARRAY_SLICE", "SETINTERSECT", "SETUNION", "CHOOSE", "OBJECTTOARRAY", "ABS",
        "CEILING", "FLOOR", "ROUND", "TRUNC", "POWER", "SQRT", "SQUARE", "EXP", "LOG", "LOG10",
        "SIGN", "PI", "SIN", "COS", "TAN", "COT", "ASIN", "ACOS", "ATAN", "ATN2", "DEGREES",
        "RADIANS", "RAND", "NUMBERBIN", "INTADD", "INTSUB", "INTMUL", "INTDIV", "INTMOD",
        "INTBITAND", "INTBITOR", "INTBITXOR", "INTBITNOT", "INTBITLEFTSHIFT",
        "INTBITRIGHTSHIFT", "IS_ARRAY", "IS_BOOL", "IS_DEFINED", "IS_NULL", "IS_NUMBER",
        "IS_OBJECT", "IS_PRIMITIVE", "IS_STRING", "IS_FINITE_NUMBER", "IS_INTEGER", "IIF",
        "GETCURRENTDATETIME", "GETCURRENTTIMESTAMP", "GETCURRENTTICKS", "DATETIMEADD",
        "DATETIMEPART", "DATETIMEDIFF", "DATETIMEFROMPARTS", "DATETIMEBIN",
        "DATETIMETOTICKS", "DATETIMETOTIMESTAMP", "TICKSTODATETIME", "TIMESTAMPTODATETIME",
        "ST_DISTANCE", "ST_WITHIN", "ST_INTERSECTS", "ST_ISVALID", "ST_ISVALIDDETAILED",
        "ST_AREA",
    ):  # fmt: skip
        assert name in REGISTRY, name
