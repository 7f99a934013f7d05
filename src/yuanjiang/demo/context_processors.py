from django.conf import settings

from yuanjiang.demo.data import DEMO_NOTE


def demo(request):
    """On the demo database every page says the data are illustrative."""
    return {"demo_note": DEMO_NOTE} if settings.DEMO else {}
