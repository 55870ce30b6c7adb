"""The tab "documenten" of a person's file: list, upload, download, delete."""

from __future__ import annotations

from flask import Blueprint, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

import levensloop.documents.timeline  # noqa: F401  (registers the timeline provider)
from levensloop.auth.forms import ContinueForm
from levensloop.auth.models import Role
from levensloop.auth.policy import role_required
from levensloop.documents import detect, services
from levensloop.documents.forms import UploadForm
from levensloop.errors import DomainError, app_response
from levensloop.persons import services as persons
from levensloop.sharing import policy
from levensloop.web import page_number

bp = Blueprint("documents", __name__, url_prefix="/personen/<uuid:person_id>/documenten")
case_roles = role_required(
    Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR
)

TOO_LARGE = "te-groot"  # ?fout= code after a request that was too large to read


@bp.url_value_preprocessor
def upload_limit(endpoint, values) -> None:
    """Runs before the CSRF check reads the body: the upload route may carry the attachment
    limit (ATTACHMENT_MAX_BYTES) plus the form around it, whatever MAX_CONTENT_LENGTH is."""
    if endpoint == "documents.upload":
        request.max_content_length = services.request_limit()


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """A body too large to read: back to the tab with the message at the file field (the
    form's other input cannot be read back, the body was refused)."""
    person_id = (request.view_args or {}).get("person_id")
    if request.endpoint != "documents.upload" or person_id is None:
        return app_response(413, None, 413)
    return redirect(url_for("documents.index", person_id=person_id, fout=TOO_LARGE) + "#file")


def _load(person_id, need: str = "read"):
    return persons.get_person(current_user, g.region, person_id, need=need)


def _upload_form(decision, *, formdata=True) -> UploadForm:
    form = UploadForm() if formdata else UploadForm(formdata=None)
    form.category.choices = [("", _("Kies een categorie"))] + [
        (str(c), c.label) for c in policy.Category if c in decision.categories
    ]
    return form


def _page(person, decision, form: UploadForm | None, code: int = 200):
    wanted = request.args.get("categorie") or None
    if wanted is not None and wanted not in {str(c) for c in decision.categories}:
        wanted = None
    listing = services.list_documents(
        current_user, g.region, person, decision, category=wanted, page=page_number()
    )
    view = persons.header_view(person, decision)
    return make_response(
        render_template(
            "documents/index.html",
            person=view,
            tab="documenten",
            documents=listing.pagination.items,
            paging=listing.pagination,
            categories=listing.categories,
            wanted=wanted,
            form=form if view.can_update else None,
            labels=detect.LABELS,
            category_labels={str(c): c.label for c in policy.Category},
            human_size=services.human_size,
            max_size=services.human_size(services.max_bytes()),
            page_has_errors=bool(form and form.errors),
        ),
        code,
    )


@bp.get("")
@case_roles
def index(person_id):
    person, decision = _load(person_id)
    form = _upload_form(decision, formdata=False)
    if request.args.get("fout") == TOO_LARGE:
        form.file.errors = [services.too_large_message()]
    return _page(person, decision, form)


@bp.post("")
@case_roles
def upload(person_id):
    person, decision = _load(person_id, need=policy.UPDATE)
    form = _upload_form(decision)
    if form.validate_on_submit():
        try:
            services.add_document(
                current_user,
                g.region,
                person,
                title=form.title.data,
                description=form.description.data,
                category=form.category.data,
                filename=form.file.data.filename,
                stream=form.file.data.stream,
            )
        except DomainError as error:
            if error.status_code in (403, 404):
                raise
            field = getattr(form, error.field or "file")
            field.errors = [*field.errors, error.message]
        else:
            flash(_("Het document is toegevoegd."), "ok")
            return redirect(url_for("documents.index", person_id=person.id))
    return _page(person, decision, form)


@bp.get("/<uuid:document_id>/download")
@case_roles
def download(person_id, document_id):
    person, decision = _load(person_id)
    found = services.download(current_user, g.region, person, decision, document_id)
    response = make_response(found.data)
    response.headers["Content-Type"] = found.content_type
    response.headers["Content-Disposition"] = found.disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<uuid:document_id>/verwijderen", methods=["GET", "POST"])
@case_roles
def delete(person_id, document_id):
    """A confirmation page first; only its own POST (with `bevestigd=ja`) deletes."""
    person, decision = _load(person_id, need=policy.UPDATE)
    form = ContinueForm()
    if request.method == "POST":
        services.get_document(current_user, g.region, person, decision, document_id)
        if not form.validate_on_submit() or request.form.get("bevestigd") != "ja":
            return redirect(
                url_for("documents.delete", person_id=person.id, document_id=document_id)
            )
        services.delete_document(current_user, g.region, person, decision, document_id)
        flash(_("Het document is verwijderd."), "ok")
        return redirect(url_for("documents.index", person_id=person.id))
    document = services.view_for_delete(current_user, g.region, person, decision, document_id)
    return render_template(
        "documents/delete.html",
        person=persons.header_view(person, decision),
        tab="documenten",
        document=document,
        category_label=policy.Category(document.category).label,
        labels=detect.LABELS,
        human_size=services.human_size,
        form=form,
    )
