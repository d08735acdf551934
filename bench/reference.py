"""Reference views for the saturation benchmark, mounted beside the app by bench/settings.py.

``hello``: the floor of a Django request through our middleware. ``table``: a minimal real
page — one query, a 50-row table rendered by the template engine — the yardstick our pages'
throughput is compared with.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from intersector.collaborations.models import Partner

TABLE = engines["django"].from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Reference table</title></head>
<body><main><h1>Partners</h1>
<table><caption>First 50 partners</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Sector</th><th scope="col">Influence</th></tr></thead>
<tbody>{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.sector }}</td>
<td>{{ row.influence }}</td></tr>{% endfor %}</tbody>
</table></main></body></html>"""
)


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


def table(request):
    rows = list(Partner.objects.order_by("pk").values("name", "sector", "influence")[:50])
    return HttpResponse(TABLE.render({"rows": rows}, request))


urlpatterns = [
    path("bench/hello/", hello),
    path("bench/table/", table),
    path("", include("intersector.urls")),
]
