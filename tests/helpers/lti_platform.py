"""A real LTI 1.3 platform for the tests, built on the lti1p3platform package.

It runs as an HTTP server on loopback with its own RSA key and JWKS. lti1p3platform builds and
signs the launch messages, issues access tokens for the tool's signed client assertions, checks
those tokens on the grade and roster endpoints, and checks the tool's deep-linking answers. The
platform records what reached it (scores, deep-linked items) for the tests to inspect.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from flask import Flask, abort, jsonify, request
from jwcrypto.jwk import JWK
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from werkzeug.serving import make_server

ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR, LEARNER = ROLE + "Instructor", ROLE + "Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
FORM_FIELD = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
FORM_ACTION = re.compile(
    r'<form[^>]*action="([^"]+)"[^>]*>\s*<input type="hidden" name="(?:id_token|JWT)"'
)


def new_private_key() -> str:
    """A fresh 2048-bit RSA private key in PEM form."""
    key = JWK.generate(kty="RSA", size=2048)
    return key.export_to_pem(private_key=True, password=None).decode()


@functools.cache
def platform_private_key() -> str:
    """The platform's RSA key, made once per run: each platform lives for one test, and the
    tests of a foreign signature make their own key with ``new_private_key``."""
    return new_private_key()


@functools.cache  # loading an RSA key checks it, which takes tens of milliseconds
def public_pem(private_pem: str) -> str:
    return JWK.from_pem(private_pem.encode()).export_to_pem().decode()


@functools.cache
def _signing_key(private_pem: str) -> RSAPrivateKey:
    key = load_pem_private_key(private_pem.encode(), password=None)
    assert isinstance(key, RSAPrivateKey)
    return key


@functools.cache
def _key_id(private_pem: str) -> str | None:
    return Registration.get_jwk(private_pem).get("kid")


class _Registration(Registration):
    """The library reads and checks the platform's PEM key again for every message it signs, tens
    of milliseconds each: this registration hands it the key loaded once, and its id."""

    def get_platform_private_key(self) -> Any:
        pem = super().get_platform_private_key()
        return _signing_key(pem) if pem else None

    def get_kid(self) -> str | None:
        pem = super().get_platform_private_key()
        return _key_id(pem) if pem else None


@dataclass
class LaunchSpec:
    """What the platform says about one launch: who, in which course, from which link."""

    sub: str
    roles: list[str]
    name: str = ""
    context_id: str = "course-101"
    context_title: str = "Civics 101"
    resource_link_id: str | None = "link-1"
    custom: dict[str, str] = field(default_factory=dict)
    lineitem_url: str | None = None
    deep_linking: bool = False
    expires_in: int = 300
    client_id: str | None = None
    deployment_id: str | None = None


class _FlaskRequest(Request):
    def build_metadata(self, request: Any) -> Any:
        return {
            "method": request.method,
            "form_data": request.form.to_dict(),
            "get_data": request.args.to_dict(),
            "headers": dict(request.headers),
            "content_type": request.content_type,
            "path": request.path,
            "json": None,
        }


class _Config(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self._registration


class _Launch(LTIAdvantageMessageLaunchAbstract):
    #: Signs the id_token with other registration values (wrong aud or deployment tests).
    token_registration: Registration | None = None

    def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
        if self.token_registration is not None:
            self._registration = self.token_registration

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> str:
        fields = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(str(launch_data[name]))}">'
            for name in ("id_token", "state")
        )
        return (
            f'<!DOCTYPE html><html lang="en"><head><title>Launching</title></head><body>'
            f'<form method="post" action="{html.escape(launch_data["launch_url"])}" id="launch">'
            f"{fields}<button>Continue</button></form>"
            f"<script>document.getElementById('launch').submit()</script></body></html>"
        )


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class TestPlatform:
    """An LMS on 127.0.0.1: call start(), register it with the tool, launch, inspect."""

    __test__ = False  # not a test class, despite the name

    def __init__(self) -> None:
        self.private_key = platform_private_key()
        self.client_id = "civics-quiz-tool"
        self.deployment_id = "deployment-1"
        self.launches: dict[str, LaunchSpec] = {}
        self.pages: dict[str, str] = {}
        self.scores: list[dict[str, Any]] = []
        self.deep_link_items: list[dict[str, Any]] = []
        self.members: list[dict[str, Any]] = []
        self.token_endpoint_down = False
        #: The roster's every page says another follows (a platform bug the tool must survive).
        self.endless_roster = False
        self.tool_key_set: dict[str, Any] | None = None
        self.tool_key_set_url: str | None = None
        self.tool_login_url = ""
        self.tool_launch_url = ""
        self.app = self._build_app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        # A short poll, so stop() returns at once rather than after the default half second.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # Lifecycle and registration ------------------------------------------------------------

    def start(self) -> TestPlatform:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    @property
    def issuer(self) -> str:
        return self.base_url

    def tool_settings(self) -> dict[str, str]:
        """What the LMS admin gives the tool: the platform registration form's fields."""
        return {
            "name": "Test LMS",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_ids": self.deployment_id,
            "auth_login_url": self.base_url + "/auth",
            "auth_token_url": self.base_url + "/token",
            "key_set_url": self.base_url + "/jwks",
        }

    def lineitem_url(self, name: str = "quiz") -> str:
        return f"{self.base_url}/lineitems/{name}/lineitem"

    def registration(self, spec: LaunchSpec | None = None) -> Registration:
        registration = (
            _Registration()
            .set_iss(self.issuer)
            .set_client_id((spec and spec.client_id) or self.client_id)
            .set_deployment_id((spec and spec.deployment_id) or self.deployment_id)
            .set_oidc_login_url(self.tool_login_url)
            .set_launch_url(self.tool_launch_url)
            .set_deeplink_launch_url(self.tool_launch_url)
            .set_platform_private_key(self.private_key)
            .set_platform_public_key(public_pem(self.private_key))
        )
        if self.tool_key_set is not None:
            registration.set_tool_key_set(self.tool_key_set)
        elif self.tool_key_set_url:
            registration.set_tool_key_set_url(self.tool_key_set_url)
        return registration

    def _config(self, spec: LaunchSpec | None = None) -> _Config:
        return _Config(registration=self.registration(spec))

    # Starting a launch ---------------------------------------------------------------------

    def login_url(self, spec: LaunchSpec) -> str:
        """The tool's OIDC login URL with the parameters the LMS sends to start ``spec``."""
        hint = uuid.uuid4().hex
        self.launches[hint] = spec
        login = _Login(None, self._config())
        login.set_lti_message_hint(hint=hint)
        return login.prepare_preflight_url(spec.sub)

    def course_page(self, spec: LaunchSpec) -> str:
        """A page of the LMS's course that shows the tool in an iframe, launched for ``spec``."""
        hint = uuid.uuid4().hex
        self.pages[hint] = self.login_url(spec)
        return f"{self.base_url}/course/{hint}"

    # The platform's endpoints ---------------------------------------------------------------

    def _bearer_ok(self, scope: str) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        try:
            return self._config().validate_token(header[7:], allowed_scopes=[scope])
        except Exception:
            return False

    def _build_app(self) -> Flask:
        app = Flask("test_platform")
        platform = self

        @app.get("/jwks")
        def jwks() -> Any:
            config = platform._config()
            config.get_registration()
            return jsonify(config.get_jwks())

        @app.get("/auth")
        def auth() -> Any:
            spec = platform.launches.get(request.args.get("lti_message_hint", ""))
            if spec is None:
                abort(400)
            config = platform._config()
            launch = _Launch(_FlaskRequest(request), config)
            if spec.client_id or spec.deployment_id:
                launch.token_registration = platform.registration(spec)
            roles = spec.roles
            launch.set_user_data(spec.sub, roles, full_name=spec.name or None)
            launch.set_launch_context_claim(spec.context_id, context_title=spec.context_title)
            if spec.resource_link_id:
                launch.set_resource_link_claim(spec.resource_link_id)
            if spec.custom:
                launch.set_custom_parameters_claim(spec.custom)
            launch.set_ags(
                lineitems_url=platform.base_url + "/lineitems",
                lineitem_url=spec.lineitem_url,
            )
            launch.set_nrps(platform.base_url + "/memberships")
            if spec.deep_linking:
                launch.set_dl(
                    platform.base_url + "/deep-link-return", accept_types={"ltiResourceLink"}
                )
            launch.set_id_token_expiration(spec.expires_in)
            return launch.lti_launch()

        @app.get("/course/<hint>")
        def course(hint: str) -> Any:
            login = html.escape(platform.pages[hint])
            return (
                '<!DOCTYPE html><html lang="en"><head><title>Civics 101</title></head><body>'
                f'<h1>Civics 101</h1><iframe src="{login}" title="Civics Quiz" width="1000" '
                'height="700"></iframe></body></html>'
            )

        @app.post("/token")
        def token() -> Any:
            if platform.token_endpoint_down:
                return "Service unavailable", 503
            config = platform._config()
            config.get_registration()
            return jsonify(config.get_access_token(request.form.to_dict()))

        @app.post("/lineitems/<name>/lineitem/scores")
        def scores(name: str) -> Any:
            if not platform._bearer_ok(SCORE_SCOPE):
                return "Unauthorized", 401
            platform.scores.append({"lineitem": name, **(request.get_json(force=True) or {})})
            return "", 204

        @app.get("/memberships")
        def memberships() -> Any:
            if not platform._bearer_ok(NRPS_SCOPE):
                return "Unauthorized", 401
            response = jsonify(
                {"id": "members", "context": {"id": "course-101"}, "members": platform.members}
            )
            if platform.endless_roster:
                response.headers["Link"] = f'<{request.url}>; rel="next"'
            return response

        @app.post("/deep-link-return")
        def deep_link_return() -> Any:
            config = platform._config()
            config.get_registration()
            platform.deep_link_items.extend(
                config.validate_deeplinking_resp(request.form.to_dict())
            )
            return '<!DOCTYPE html><html lang="en"><head><title>Added</title></head><body><p>Item added.</p></body></html>'

        return app


def launch_form(page: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of an auto-submitting form (the platform's, or ours)."""
    action = FORM_ACTION.search(page)
    assert action, page[:500]
    return html.unescape(action.group(1)), {
        name: html.unescape(value) for name, value in FORM_FIELD.findall(page)
    }
