"""Login (password, then TOTP or a recovery code), enrolment, logout and the own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from levensloop.auth import services
from levensloop.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    ContinueForm,
    LoginForm,
    NewPasswordForm,
)
from levensloop.auth.totp import qr_svg
from levensloop.errors import DomainError
from levensloop.extensions import limiter, login_manager

bp = Blueprint("auth", __name__)

PENDING = "pending_login"


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


# ---------------------------------------------------------------- helpers


def safe_next(target: str | None) -> str | None:
    """A local path to return to after login, or None. Refuses absolute URLs, scheme-relative
    URLs (//host), backslash tricks and control characters (open redirects)."""
    if not target or len(target) > 2000:
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(parts.path, method="GET")
    except Exception:  # werkzeug raises NotFound, MethodNotAllowed or RequestRedirect
        return None
    return target


def load_user_from_session(token: str):
    check = services.load_session(token)
    if check.user is None and check.reason in ("idle", "absolute"):
        g.session_expired = check.reason
    return check.user


@login_manager.unauthorized_handler
def unauthorized():
    reason = g.get("session_expired")
    if reason == "idle":
        flash(
            _("U bent automatisch uitgelogd omdat u een tijd niets heeft gedaan. Log opnieuw in."),
            "warning",
        )
    elif reason == "absolute":
        flash(_("Uw sessie is verlopen. Log opnieuw in."), "warning")
    else:
        flash(_("Log in om deze pagina te bekijken."), "info")
    session.pop("_user_id", None)
    return redirect(
        url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    )


def _pending():
    data = session.get(PENDING) or {}
    user = services.pending_user(data.get("uid"), data.get("t"))
    return user, data


def _set_pending(user, **changes) -> None:
    data = dict(session.get(PENDING) or {})
    data.update(uid=str(user.id), **changes)
    data.setdefault("t", services.utcnow().timestamp())
    session[PENDING] = data


def _restart(message: str | None = None):
    session.pop(PENDING, None)
    flash(message or _("Uw inlogpoging is verlopen. Begin opnieuw."), "warning")
    return redirect(url_for("auth.login"))


def _complete_login(user, method: str, next_url: str | None):
    lang = session.get("lang")
    session.clear()  # a new session: nothing from before the login is carried over
    if lang:
        session["lang"] = lang
    services.start_session(user, request.remote_addr, method)
    login_user(user, remember=False, fresh=True)
    regions = user.regions()
    if regions:
        session["region"] = str(regions[0].id)
    return redirect(safe_next(next_url) or url_for("core.dashboard"))


def _after_second_factor(user, data, method: str):
    if user.must_change_password:
        _set_pending(user, mfa=True, method=method)
        return redirect(url_for("auth.new_password"))
    return _complete_login(user, method, data.get("next"))


# ---------------------------------------------------------------- login steps


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        try:
            user = services.check_password_step(form.username.data, form.password.data)
        except services.LoginFailed as error:
            form.form_errors.append(error.message)
        else:
            session.pop(PENDING, None)
            _set_pending(user, t=services.utcnow().timestamp(), mfa=False, next=next_url)
            if not user.totp_enrolled:
                return redirect(url_for("auth.enrol"))
            return redirect(url_for("auth.verify"))
    return render_template(
        "auth/login.html", form=form, page_has_errors=bool(form.errors or form.form_errors)
    )


@bp.route("/inloggen/code", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def verify():
    user, data = _pending()
    if user is None or not user.totp_enrolled:
        return _restart()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            method = services.verify_second_factor(user, form.code.data)
        except services.SecondFactorFailed as error:
            if services.pending_user(data.get("uid"), data.get("t")) is None:
                return _restart(
                    _("Te veel mislukte pogingen. Het account is tijdelijk geblokkeerd.")
                )
            form.code.errors.append(error.message)
        else:
            if method == "recovery_code":
                flash(
                    _(
                        "U heeft een herstelcode gebruikt. U heeft er nog %(n)s over. Koppel zo "
                        "nodig "
                        "een nieuwe telefoon via de functioneel beheerder.",
                        n=services.remaining_recovery_codes(user),
                    ),
                    "warning",
                )
            return _after_second_factor(user, data, method)
    return render_template("auth/verify.html", form=form, page_has_errors=bool(form.errors))


@bp.route("/inloggen/koppelen", methods=["GET", "POST"])
@limiter.limit(login_rate_limit, methods=["POST"])
def enrol():
    user, data = _pending()
    if user is None or user.totp_enrolled:
        return _restart()
    secret = services.enrolment_secret(user)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = services.confirm_enrolment(user, form.code.data)
        except services.SecondFactorFailed as error:
            if services.pending_user(data.get("uid"), data.get("t")) is None:
                return _restart(
                    _("Te veel mislukte pogingen. Het account is tijdelijk geblokkeerd.")
                )
            form.code.errors.append(error.message)
        else:
            _set_pending(user, mfa=True, method="totp_enrolment")
            return render_template("auth/recovery_codes.html", codes=codes, form=ContinueForm())
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template(
        "auth/enrol.html", form=form, secret=grouped, page_has_errors=bool(form.errors)
    )


@bp.get("/inloggen/koppelen/qr.svg")
def enrol_qr():
    user, _data = _pending()
    if user is None or user.totp_enrolled:
        return Response(status=404)
    svg = qr_svg(services.enrolment_uri(user))
    return Response(svg, mimetype="image/svg+xml")


@bp.post("/inloggen/herstelcodes-bewaard")
def recovery_codes_saved():
    user, data = _pending()
    form = ContinueForm()
    if user is None or not data.get("mfa") or not form.validate_on_submit():
        return _restart()
    return _after_second_factor(user, data, data.get("method", "totp_enrolment"))


@bp.route("/inloggen/nieuw-wachtwoord", methods=["GET", "POST"])
def new_password():
    user, data = _pending()
    if user is None or not data.get("mfa"):
        return _restart()
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_own_password(user, form.new_password.data)
        except DomainError as error:
            form.new_password.errors.append(error.message)
        else:
            flash(_("Uw wachtwoord is ingesteld."), "ok")
            return _complete_login(user, data.get("method", "totp"), data.get("next"))
    return render_template("auth/new_password.html", form=form, page_has_errors=bool(form.errors))


@bp.post("/uitloggen")
@login_required
def logout():
    form = ContinueForm()
    if not form.validate_on_submit():
        return redirect(url_for("core.dashboard"))
    services.end_session(current_user)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("U bent uitgelogd."), "ok")
    return redirect(url_for("auth.login"))


# ---------------------------------------------------------------- own account


@bp.get("/account")
@login_required
def account():
    return render_template(
        "auth/account.html",
        password_form=ChangePasswordForm(),
        logout_all_form=ContinueForm(),
        recovery_left=services.remaining_recovery_codes(current_user),
    )


@bp.post("/account/wachtwoord")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except DomainError as error:
            getattr(form, error.field or "new_password").errors.append(error.message)
        else:
            flash(_("Uw wachtwoord is gewijzigd. Uw andere sessies zijn beëindigd."), "ok")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html",
        password_form=form,
        logout_all_form=ContinueForm(),
        recovery_left=services.remaining_recovery_codes(current_user),
        page_has_errors=True,
    ), 200


@bp.post("/account/overal-uitloggen")
@login_required
def logout_everywhere():
    form = ContinueForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.account"))
    services.end_all_sessions(current_user, "logout_everywhere")
    logout_user()
    session.clear()
    flash(_("U bent op alle apparaten uitgelogd."), "ok")
    return redirect(url_for("auth.login"))
