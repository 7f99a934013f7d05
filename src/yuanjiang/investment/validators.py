"""统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set, the last a check digit."""

from django.core.exceptions import ValidationError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, ...


def credit_code_check_char(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为18位，当前为%(n)s位。", code="credit_code_length", params={"n": len(code)}
        )
    bad = [c for c in code if c not in CHARSET]
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符“%(c)s”（不使用I、O、Z、S、V）。",
            code="credit_code_charset",
            params={"c": bad[0]},
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            "统一社会信用代码校验位不正确：最后一位应为“%(e)s”，实为“%(a)s”，请核对。",
            code="credit_code_check",
            params={"e": expected, "a": code[17]},
        )
