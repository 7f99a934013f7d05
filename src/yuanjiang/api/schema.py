"""The OpenAPI schema's error answers: every operation documents the one error shape
({"errors": [{field, code, message}]}, api.errors) for the statuses the API answers with, so the
schema-driven fuzzing (tests/test_api_fuzz.py) checks error bodies against the schema too."""

ERROR_STATUSES = {
    "400": "输入有误（逐字段说明）· invalid input, field by field",
    "401": "未提供令牌或令牌无效 · no or invalid token",
    "403": "无权进行此操作（如只读令牌写入）· not allowed (a read-only token writing …)",
    "404": "不存在或无权查看 · not found or out of scope",
    "405": "不支持的方法 · method not allowed",
    "406": "不支持的响应格式 · not acceptable",
    "409": "与结账期间或关联记录冲突 · conflicts with a closed period or related records",
    "412": "If-Match 中的版本已过期 · stale If-Match version",
    "415": "请求体须为 JSON · the body must be JSON",
    "428": "修改和删除须带 If-Match · If-Match required",
}

ERRORS_SCHEMA = {
    "type": "object",
    "description": "错误 · errors",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": "字段名，整条记录时为 null · field",
                    },
                    "code": {"type": "string", "description": "稳定的错误代码 · stable error code"},
                    "message": {"type": "string", "description": "中文说明 · the message, in Chinese"},
                },
            },
        }
    },
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Errors"] = ERRORS_SCHEMA
    ref = {"$ref": "#/components/schemas/Errors"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ERROR_STATUSES.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return result
