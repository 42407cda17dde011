"""Forms of the LTI pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..domain.i18n import lazy_gettext
from ..services.lti_platforms import PlatformSettings


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]


class PlatformForm(FlaskForm):
    """The values an LMS administrator reads off the LMS after adding the tool."""

    name = StringField(
        lazy_gettext("Name"),
        description=lazy_gettext("How you refer to it, e.g. “District Canvas”."),
        validators=[DataRequired(message=lazy_gettext("Name the platform.")), Length(max=100)],
    )
    issuer = StringField(
        lazy_gettext("Issuer (iss)"),
        description=lazy_gettext(
            "Canvas: https://canvas.instructure.com; Moodle: the site's address; "
            "Schoology: https://schoology.schoology.com."
        ),
        validators=[DataRequired(message=lazy_gettext("Enter the issuer.")), Length(max=255)],
    )
    client_id = StringField(
        lazy_gettext("Client id"),
        validators=[DataRequired(message=lazy_gettext("Enter the client id.")), Length(max=255)],
    )
    deployment_ids = TextAreaField(
        lazy_gettext("Deployment ids"),
        description=lazy_gettext("One per line."),
        validators=[DataRequired(message=lazy_gettext("Enter at least one deployment id."))],
    )
    auth_login_url = StringField(
        lazy_gettext("Authentication request URL (OIDC auth endpoint)"),
        validators=[Length(max=500)],
    )
    auth_token_url = StringField(lazy_gettext("Access token URL"), validators=[Length(max=500)])
    key_set_url = StringField(
        lazy_gettext("Public keyset URL (JWKS)"), validators=[Length(max=500)]
    )
    auth_audience = StringField(
        lazy_gettext("Token audience (optional)"),
        description=lazy_gettext("Only if the LMS asks for an audience other than its token URL."),
        validators=[Optional(), Length(max=500)],
    )
    frame_origins = TextAreaField(
        lazy_gettext("Addresses that show the quiz in a frame (optional)"),
        description=lazy_gettext(
            "The LMS's own web addresses, one per line, e.g. https://school.instructure.com."
            " Empty: the issuer's and the authentication URL's."
        ),
        validators=[Optional()],
    )

    def settings(self) -> PlatformSettings:
        """The registration as the service takes it."""
        return PlatformSettings(
            name=self.name.data or "",
            issuer=self.issuer.data or "",
            client_id=self.client_id.data or "",
            auth_login_url=self.auth_login_url.data or "",
            auth_token_url=self.auth_token_url.data or "",
            key_set_url=self.key_set_url.data or "",
            deployment_ids=_lines(self.deployment_ids.data),
            auth_audience=self.auth_audience.data or "",
            frame_origins=_lines(self.frame_origins.data),
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        """Put each problem the service found on its field."""
        for name, message in problems.items():
            getattr(self, name).errors.append(message)
