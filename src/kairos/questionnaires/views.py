"""The responses dashboard: the list with its scores, one response, the questionnaire editor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.personal_data import shown, shown_metadata
from kairos.questionnaires import reports, rollup
from kairos.questionnaires.forms import QuestionFormSet, QuestionnaireForm, ResponseFilterForm
from kairos.questionnaires.labels import labelled_answers, metadata_items, ui_language
from kairos.questionnaires.models import Questionnaire, Response, Stage
from kairos.questionnaires.services import publish

RESPONSES_PER_PAGE = 50


@member_required(Permission.VIEW_REPORTS)
def responses(request):
    organization = request.actor.organization
    filter_form = ResponseFilterForm(request.GET, store_ids=reports.store_ids(organization))
    # Invalid filters show their errors and no rows, rather than figures that look
    # filtered but are not.
    if filter_form.is_valid():
        matching = reports.filtered_responses(organization, filter_form.cleaned_data)
        summary = rollup.filtered_summary(organization, filter_form.cleaned_data)
    else:
        matching = Response.objects.none()
        summary = reports.summarize(matching)
    page = CountedPaginator(matching, RESPONSES_PER_PAGE, summary.responses).get_page(
        request.GET.get("page"))
    for response in page:
        response.customer = shown(request.actor, response.email
                                  or response.responder_metadata.get("name"))
    context = {"filter_form": filter_form, "summary": summary, "page": page}
    return render(request, "questionnaires/responses.html", context)


class CountedPaginator(Paginator):
    """Pages over rows already counted (the summary's count): no second COUNT(*)."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


@member_required(Permission.VIEW_REPORTS)
def response_detail(request, response_id):
    response = get_object_or_404(
        Response.objects.select_related("questionnaire_version"),
        pk=response_id, organization=request.actor.organization,
    )
    actor = request.actor
    context = {
        "response": response,
        "answers": labelled_answers(response, ui_language()),
        "order_metadata": metadata_items(
            shown_metadata(actor, "questionnaire", response.questionnaire_metadata)),
        "customer_metadata": metadata_items(
            shown_metadata(actor, "responder", response.responder_metadata)),
        "device_id": shown(actor, response.device_id),
    }
    return render(request, "questionnaires/response.html", context)


@member_required(Permission.VIEW_REPORTS)
def questionnaires(request):
    shop_questionnaires = (
        Questionnaire.objects.filter(organization=request.actor.organization)
        .annotate(
            question_count=Count("questions", distinct=True),
            version_number=Max("versions__number"),
        )
    )
    # In the order of the customer journey (checkout, then after sales), not alphabetical.
    in_journey_order = sorted(shop_questionnaires, key=lambda q: Stage.values.index(q.stage))
    return render(
        request, "questionnaires/questionnaires.html", {"questionnaires": in_journey_order}
    )


@member_required(Permission.VIEW_REPORTS)
def questionnaire_editor(request, pk):
    questionnaire = get_object_or_404(
        Questionnaire, pk=pk, organization=request.actor.organization
    )
    may_edit = request.actor.can(Permission.MANAGE_CAMPAIGNS)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = QuestionnaireForm(data, instance=questionnaire, read_only=not may_edit)
    questions = QuestionFormSet(data, instance=questionnaire, read_only=not may_edit)
    valid = data is not None and all([form.is_valid(), questions.is_valid()])
    if valid and save_and_publish(request, form, questions):
        return redirect("questionnaires:questionnaire", pk=questionnaire.pk)
    context = {
        "questionnaire": questionnaire, "form": form, "questions": questions,
        "may_edit": may_edit, "current_version": questionnaire.current_version(),
    }
    return render(request, "questionnaires/questionnaire.html", context)


def save_and_publish(request, form, questions):
    """Save the edits and freeze them as a new version; False when saving failed."""
    if not (form.has_changed() or questions.has_changed()):
        messages.info(request, _("Nothing changed, so no new version was published."))
        return True
    try:
        with transaction.atomic():
            questionnaire = form.save()
            questions.save()
            version = publish(questionnaire)
    except IntegrityError:
        # Validation saw no clash, so two rows traded keys in one save (rows are written
        # one by one) or a colleague saved at the same moment; nothing was written.
        messages.error(request, _(
            "Not saved: two questions would have shared a key while saving. Swap keys in two "
            "saves, or reload the page if someone else just edited this questionnaire."
        ))
        return False
    messages.success(
        request, _("Saved. Version %(number)s is now live.") % {"number": version.number}
    )
    return True
