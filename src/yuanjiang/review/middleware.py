from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from yuanjiang.common.conflict import StaleVersionError
from yuanjiang.review.errors import PeriodClosedError


class PeriodClosedMiddleware:
    """A write into a closed period (or a stale version) that reached the database layer from any view (the admin's
    delete, a future import page ...) is answered with its Chinese message, never a 500: back to the
    page the user came from with the message, or a 409 page. Nothing was written (the transaction
    of the request was rolled back by the raise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PeriodClosedError | StaleVersionError):
            return None
        text = "；".join(exception.messages) if isinstance(exception, PeriodClosedError) else str(exception)
        referer = request.META.get("HTTP_REFERER", "")
        if (
            request.method == "POST"
            and referer
            and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
        ):
            messages.error(request, text)
            return HttpResponseRedirect(referer)
        title = "期间已结账" if isinstance(exception, PeriodClosedError) else "记录已被他人修改"
        return TemplateResponse(
            request, "review/period_closed.html", {"message": text, "title": title}, status=409
        )
