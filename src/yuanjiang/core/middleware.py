import re

from yuanjiang.core import context

# A proxy's request id is kept only when it is a plain token; anything else gets a fresh id.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    """Give every request an id (or take the proxy's X-Request-ID) and echo it in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID.fullmatch(incoming) else context.new_request_id()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class ChangeActorMiddleware:
    """Attribute changes made while handling the request to the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        source = "admin" if request.path.startswith("/admin/") else "web"
        with context.acting_as(user, source=source, request_id=request.request_id):
            return self.get_response(request)
