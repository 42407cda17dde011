"""`flask lti ...`: register platforms, rotate the app's key, send queued grades."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup

from ..domain.i18n import gettext
from ..services import lti_platforms, lti_scores

lti_cli = AppGroup("lti", help="LTI 1.3: platforms (LMSs), keys and grades.")


@lti_cli.command("add-platform")
@click.option("--name", required=True, help="How teachers will recognise it.")
@click.option("--issuer", required=True, help="The platform's iss.")
@click.option("--client-id", required=True)
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True)
@click.option("--auth-login-url", required=True, help="OIDC authentication request URL.")
@click.option("--auth-token-url", required=True, help="OAuth 2 access token URL.")
@click.option("--key-set-url", required=True, help="The platform's JWKS URL.")
@click.option("--auth-audience", default="", help="Token audience, if not the token URL.")
@click.option("--frame-origin", "frame_origins", multiple=True, help="An origin that frames us.")
def add_platform_command(
    name: str,
    issuer: str,
    client_id: str,
    deployment_ids: tuple[str, ...],
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    auth_audience: str,
    frame_origins: tuple[str, ...],
) -> None:
    """Register an LMS that may launch Civics Quiz."""
    settings = lti_platforms.PlatformSettings(
        name=name,
        issuer=issuer,
        client_id=client_id,
        auth_login_url=auth_login_url,
        auth_token_url=auth_token_url,
        key_set_url=key_set_url,
        deployment_ids=list(deployment_ids),
        auth_audience=auth_audience,
        frame_origins=list(frame_origins),
    )
    try:
        platform = lti_platforms.register_platform(settings)
    except lti_platforms.PlatformError as error:
        for field, message in error.problems.items():
            click.echo(f"--{field.replace('_', '-')}: {message}", err=True)
        raise click.ClickException(gettext("platform not registered")) from None
    click.echo(
        gettext(
            "Registered %(name)s (%(issuer)s, client id %(client_id)s).",
            name=platform.name,
            issuer=platform.issuer,
            client_id=platform.client_id,
        )
    )


@lti_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Make a new signing key; the old one stays in the JWKS for a week."""
    key = lti_platforms.rotate_key()
    click.echo(gettext("New signing key %(kid)s.", kid=key.kid))


@lti_cli.command("send-scores")
@click.option(
    "--watch",
    type=click.IntRange(min=1),
    default=None,
    help="Keep going, looking for due scores every this many seconds.",
)
def send_scores_command(watch: int | None) -> None:
    """Send the grades that are due (run it from a timer, or with --watch as a service)."""
    while True:
        report = lti_scores.send_due_scores()
        if report.sent or report.failed or watch is None:
            click.echo(
                gettext(
                    "%(sent)s sent, %(failed)s to retry later.",
                    sent=report.sent,
                    failed=report.failed,
                )
            )
        if watch is None:
            return
        time.sleep(watch)


def init_app(app: Flask) -> None:
    """Register the command group."""
    app.cli.add_command(lti_cli)
