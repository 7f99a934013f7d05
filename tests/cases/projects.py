import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_project, make_transaction
from tests.kit import ScopedCase, register
from yuanjiang.core.context import acting_as
from yuanjiang.projects.models import ProgressPhoto, ProgressReport, ProjectOutput


def make_report(program, n):
    project = make_project(program, n, name=f"进度项目{n}")
    with acting_as(None, source="test"):
        return ProgressReport.objects.create(
            project=project, report_date=dt.date(2023, 9, 1), progress_percent=40, image_progress="主体施工"
        )


register(
    ScopedCase(
        name="aidproject",
        make=lambda program, n: make_project(program, n, name=f"套件项目{n}"),
        list_url="projects:aidproject_list",
        detail_url="projects:aidproject_detail",
        edit_url="projects:aidproject_edit",
        text=lambda obj: obj.name,
    )
)
register(
    ScopedCase(
        name="fundtransaction",
        make=lambda program, n: make_transaction(
            make_project(program, n, name=f"资金项目{n}"), "disbursement", "100000"
        ),
        list_url="projects:fundtransaction_list",
        edit_url="projects:fundtransaction_edit",
        delete_url="projects:fundtransaction_delete",
        text=lambda obj: obj.project.name,
    )
)
register(
    ScopedCase(
        name="progressreport",
        make=make_report,
        list_url="projects:progressreport_list",
        edit_url="projects:progressreport_edit",
        delete_url="projects:progressreport_delete",
        text=lambda obj: obj.project.name,
    )
)


def make_output(program, n):
    project = make_project(program, n, name=f"产出项目{n}")
    with acting_as(None, source="test"):
        return ProjectOutput.objects.create(
            project=project, name="建筑面积", quantity=Decimal("1200"), unit="平方米"
        )


register(
    ScopedCase(
        name="projectoutput",
        make=make_output,
        edit_url="projects:projectoutput_edit",
        delete_url="projects:projectoutput_delete",
        text=lambda obj: obj.project.name,
    )
)


def make_photo(program, n):
    """A progress photo (a small PNG) of a progress report of the program."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    with acting_as(None, source="test"):
        photo = ProgressPhoto(report=make_report(program, n), caption=f"套件照片{n}")
        photo.image.save(f"site{n}.png", SimpleUploadedFile(f"site{n}.png", buffer.getvalue()), save=True)
    return photo


register(ScopedCase(name="progressphoto", make=make_photo, delete_url="projects:progressphoto_delete"))
