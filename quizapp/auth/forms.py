"""Forms for registering, signing in and out, and changing a password."""

from collections.abc import Callable

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..domain.i18n import lazy_gettext
from ..services.accounts import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    AccountError,
    check_password_rules,
    check_username_rules,
)


def _account_rule(field: Field, check: Callable[[str], object]) -> None:
    """The account service's rule for a field, checked with every other field's, so that a
    form shows all its problems at once (the service checks them again on creating)."""
    if field.errors:
        return  # the field's own validators have said what is wrong with it
    try:
        check(field.data or "")
    except AccountError as error:
        raise ValidationError(str(error)) from None


class RegisterForm(FlaskForm):
    """A new student account."""

    username = StringField(
        lazy_gettext("Username"),
        validators=[
            DataRequired(message=lazy_gettext("Choose a username.")),
            # The account rule's own limit, so that the field's maxlength says it too.
            Length(
                max=32,
                message=lazy_gettext(
                    "Use 3 to 32 letters, digits, dots, dashes or underscores, starting with a "
                    "letter or digit."
                ),
            ),
        ],
        description=lazy_gettext("3 to 32 letters, digits, dots, dashes or underscores."),
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    display_name = StringField(
        lazy_gettext("Display name (optional)"),
        validators=[Length(max=100)],
        description=lazy_gettext(
            "The name your teacher sees. Leave it empty to use your username."
        ),
        render_kw={"autocomplete": "nickname"},
    )
    password = PasswordField(
        lazy_gettext("Password"),
        validators=[
            DataRequired(message=lazy_gettext("Choose a password.")),
            Length(
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
                # WTForms fills in %(min)d and %(max)d.
                message=lazy_gettext("Use %(min)d to %(max)d characters."),
            ),
        ],
        description=lazy_gettext(
            "%(min)s to %(max)s characters; any characters are fine.",
            min=MIN_PASSWORD,
            max=MAX_PASSWORD,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        lazy_gettext("Repeat the password"),
        validators=[
            DataRequired(message=lazy_gettext("Type the password again.")),
            EqualTo("password", message=lazy_gettext("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(lazy_gettext("Create account"))

    def validate_username(self, field: Field) -> None:
        _account_rule(field, check_username_rules)

    def validate_password(self, field: Field) -> None:
        _account_rule(field, check_password_rules)


class LoginForm(FlaskForm):
    """Sign in with username and password."""

    username = StringField(
        lazy_gettext("Username"),
        validators=[DataRequired(message=lazy_gettext("Enter your username.")), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        lazy_gettext("Password"),
        validators=[
            DataRequired(message=lazy_gettext("Enter your password.")),
            Length(max=MAX_PASSWORD),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(lazy_gettext("Keep me signed in on this device"))
    submit = SubmitField(lazy_gettext("Sign in"))


class ChangePasswordForm(FlaskForm):
    """Replace the current password (required after a one-time password)."""

    current_password = PasswordField(
        lazy_gettext("Current password"),
        validators=[DataRequired(message=lazy_gettext("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        lazy_gettext("New password"),
        validators=[
            DataRequired(message=lazy_gettext("Choose a new password.")),
            Length(
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
                # WTForms fills in %(min)d and %(max)d.
                message=lazy_gettext("Use %(min)d to %(max)d characters."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        lazy_gettext("Repeat the new password"),
        validators=[
            DataRequired(message=lazy_gettext("Type the new password again.")),
            EqualTo("new_password", message=lazy_gettext("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(lazy_gettext("Change password"))


class EmptyForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state (sign out, submit)."""
