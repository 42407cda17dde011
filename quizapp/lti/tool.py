"""PyLTI1p3's tool side wired to our database: registrations, deployments and one-use nonces.

PyLTI1p3 checks the id_token (signature against the platform's JWKS, ``aud``, ``exp``, state
cookie, nonce, deployment id); these classes only answer its questions from our tables.
"""

from __future__ import annotations

from typing import Any

from pylti1p3.contrib.flask import FlaskCookieService, FlaskRequest, FlaskSessionService
from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config import ToolConfAbstract

from ..models import LtiPlatform
from ..services import lti_launch, lti_platforms


class DatabaseToolConf(ToolConfAbstract[FlaskRequest]):
    """Registrations from the lti_platform table; remembers the platform it found."""

    def __init__(self) -> None:
        self.platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        """Several client ids per issuer are allowed (one platform, several registrations)."""
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        """See check_iss_has_one_client."""
        return True

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Any:
        """The issuer's only registration."""
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(
        self, iss: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Registration | None:
        """The registration of (issuer, client id), with the app's signing key."""
        platform = lti_platforms.find_platform(iss, client_id)
        if platform is None:
            return None
        self.platform = platform
        return lti_platforms.tool_registration(platform)

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        """See find_deployment_by_params."""
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        """The deployment, if it is registered for this platform."""
        platform = lti_platforms.find_platform(iss, client_id)
        if platform is None or not lti_platforms.has_deployment(platform, deployment_id):
            return None
        return Deployment().set_deployment_id(deployment_id)


class RequestOnlyStorage(LaunchDataStorage[Any]):
    """PyLTI1p3's launch cache, kept for one request only: we keep what we need ourselves
    (the signed-in session, and nonces in the database), and the Flask session cookie is not
    sent on the LMS's cross-site POST anyway."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def get_session_cookie_name(self) -> None:
        """No cookie of its own."""
        return None

    def can_set_keys_expiration(self) -> bool:
        """Values die with the request."""
        return False

    def get_value(self, key: str) -> Any:
        """A value set during this request."""
        return self._values.get(key)

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        """Keep a value until the request ends."""
        self._values[key] = value

    def check_value(self, key: str) -> bool:
        """Whether a value was set during this request."""
        return key in self._values


class LaunchCookies(FlaskCookieService):
    """The state cookie, remembering the state it set so the nonce can be tied to it."""

    def __init__(self, request: FlaskRequest) -> None:
        super().__init__(request)
        self.state: str | None = None

    def set_cookie(self, name: str, value: Any, exp: int | None = 3600) -> None:
        """Set a cookie (Secure and SameSite=None over HTTPS, for the LMS's iframe)."""
        if name.startswith("state-"):
            self.state = str(value)
        super().set_cookie(name, value, exp)


class DatabaseNonces(FlaskSessionService):
    """Nonces in the database, each accepted once and only with the state it was issued with."""

    def __init__(self, request: FlaskRequest, cookies: LaunchCookies) -> None:
        super().__init__(request)
        self._flask_request = request
        self._cookies = cookies
        self.set_data_storage(RequestOnlyStorage())

    def save_nonce(self, nonce: str) -> None:
        """Record the nonce of the login being answered, with its state."""
        lti_launch.issue_nonce(nonce, self._cookies.state or "")

    def check_nonce(self, nonce: str) -> bool:
        """Use the nonce up; a second launch with it (a replay) is refused."""
        state = self._flask_request.get_param("state") or ""
        return lti_launch.consume_nonce(nonce, state)


def tool_parts() -> tuple[FlaskRequest, DatabaseToolConf, LaunchCookies, DatabaseNonces]:
    """What PyLTI1p3's login and launch objects are made of, for the current request."""
    request = FlaskRequest()
    cookies = LaunchCookies(request)
    return request, DatabaseToolConf(), cookies, DatabaseNonces(request, cookies)
