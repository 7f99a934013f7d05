"""Progress photos: uploaded with a progress report, validated, and served only to those in scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import make_project
from yuanjiang.core.models import ObjectChange
from yuanjiang.projects.models import ProgressPhoto, ProgressReport


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(name="site.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def report_data(**extra):
    return {"report_date": "2024-05-01", "investment_completed": "100000", "progress_percent": "40", **extra}


def test_upload_with_a_report_and_read_back_in_scope_only(client, clerk, other_clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    url = reverse("projects:progressreport_create", args=[project.pk])
    response = client.post(url, report_data(photos=[png("a.png"), png("b.png")]))
    assert response.status_code == 302
    report = ProgressReport.objects.get(project=project)
    photos = list(report.photos.all())
    assert len(photos) == 2
    assert ObjectChange.objects.filter(content_type__model="progressphoto", action="create").count() == 2

    file_url = reverse("projects:progressphoto_file", args=[photos[0].pk])
    served = client.get(file_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    page = client.get(project.get_absolute_url()).content.decode()
    assert file_url in page

    client.force_login(other_clerk)
    assert client.get(file_url).status_code == 404


def test_a_file_that_is_not_an_image_is_named_and_nothing_is_saved(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    fake = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 not an image", content_type="application/pdf")
    response = client.post(
        reverse("projects:progressreport_create", args=[project.pk]), report_data(photos=[png(), fake])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["photos"]
    assert any("“合同.pdf”" in e and "图片" in e for e in errors)
    assert not ProgressReport.objects.exists() and not ProgressPhoto.objects.exists()


def test_photo_delete_goes_back_to_the_project(client, clerk, program):
    project = make_project(program, 1)
    client.force_login(clerk)
    client.post(reverse("projects:progressreport_create", args=[project.pk]), report_data(photos=[png()]))
    photo = ProgressPhoto.objects.get()
    confirm = client.get(reverse("projects:progressphoto_delete", args=[photo.pk]))
    assert f'href="{project.get_absolute_url()}"' in confirm.content.decode()
    response = client.post(reverse("projects:progressphoto_delete", args=[photo.pk]))
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert not ProgressPhoto.objects.exists()


def test_project_page_queries_do_not_grow_with_photos(client, clerk, program):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = make_project(program, 1)
    client.force_login(clerk)
    url = reverse("projects:progressreport_create", args=[project.pk])
    client.post(url, report_data(photos=[png()]))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(project.get_absolute_url())
        return len(ctx.captured_queries)

    small = count()
    for day in ("2024-05-02", "2024-05-03"):
        client.post(url, report_data(report_date=day, photos=[png(), png(), png()]))
    assert count() == small
