from tests.factories_talent import make_agreement, make_course, make_visit, make_worker
from tests.kit import ScopedCase, register

register(
    ScopedCase(
        name="aidworker",
        make=make_worker,
        list_url="talent:aidworker_list",
        detail_url="talent:aidworker_detail",
        edit_url="talent:aidworker_edit",
        delete_url="talent:aidworker_delete",
        text=lambda obj: obj.name,
    )
)
register(
    ScopedCase(
        name="talentvisit",
        make=make_visit,
        list_url="talent:talentvisit_list",
        detail_url="talent:talentvisit_detail",
        edit_url="talent:talentvisit_edit",
        delete_url="talent:talentvisit_delete",
        text=lambda obj: obj.experts,
    )
)
register(
    ScopedCase(
        name="agreement",
        make=make_agreement,
        list_url="talent:agreement_list",
        detail_url="talent:agreement_detail",
        edit_url="talent:agreement_edit",
        delete_url="talent:agreement_delete",
        text=lambda obj: obj.title,
    )
)
register(
    ScopedCase(
        name="trainingcourse",
        make=make_course,
        list_url="talent:trainingcourse_list",
        detail_url="talent:trainingcourse_detail",
        edit_url="talent:trainingcourse_edit",
        delete_url="talent:trainingcourse_delete",
        text=lambda obj: obj.name,
    )
)
