"""USCC checksum (GB 32100-2015), with codes of real, publicly registered companies."""

import pytest

from organisations.uscc import check_character, is_valid_uscc, uscc_error

pytestmark = pytest.mark.unit

REAL_VALID = [
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
    "91350100M000100Y43",  # the example printed in GB 32100-2015 guidance
]


@pytest.mark.parametrize("code", REAL_VALID)
def test_uscc_real_codes_are_valid(code):
    assert uscc_error(code) is None
    assert is_valid_uscc(code.lower())  # entered in lower case still counts


@pytest.mark.parametrize(
    ("code", "message_part"),
    [
        ("914403001922038217", "校验位不正确"),  # last digit of Huawei's code changed
        ("91440300708461136X", "校验位不正确"),
        ("9144030019220382", "应为18位"),
        ("9144030019220382161", "应为18位"),
        ("91440300192203821I", "不允许的字符"),  # I is not in the alphabet
        ("9144O3001922038216", "不允许的字符"),  # letter O for zero
        ("91AB03001922038216", "行政区划代码"),
        ("", "应为18位"),
    ],
)
def test_uscc_invalid_codes_explain_in_chinese(code, message_part):
    error = uscc_error(code)
    assert error is not None
    assert message_part in str(error)


def test_uscc_check_character_matches_the_standard_example():
    assert check_character("91350100M000100Y4") == "3"
