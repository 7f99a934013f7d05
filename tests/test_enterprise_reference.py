import pytest
from django.core.exceptions import ValidationError

from yuanjiang.investment.models import Enterprise
from yuanjiang.investment.validators import credit_code_check_char, validate_credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_published_credit_codes_are_valid(code):
    validate_credit_code(code)
    assert credit_code_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "校验位不正确"),
        ("91350100M000100Y4", "应为18位"),
        ("91350100M0001O0Y43", "不允许的字符"),
    ],
)
def test_bad_credit_codes_are_refused_in_chinese(code, message):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert message in info.value.messages[0]


def test_credit_code_is_unique_when_given(db):
    Enterprise.objects.create(name="甲", credit_code="91350100M000100Y43")
    Enterprise.objects.create(name="乙")
    Enterprise.objects.create(name="丙")  # blank codes do not collide
    dup = Enterprise(name="丁", credit_code="91350100m000100y43")
    with pytest.raises(ValidationError) as info:
        dup.full_clean()
    assert "已有企业使用该统一社会信用代码" in str(info.value)
