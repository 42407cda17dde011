"""LTI 1.3 registration: the platforms that may launch the app, and the app's own signing keys."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.i18n import gettext
from ..extensions import db
from ..models import LtiDeployment, LtiPlatform, LtiToolKey, User
from ..models.types import utcnow

if TYPE_CHECKING:  # jwcrypto and PyLTI1p3 load when a key or a registration is needed
    from pylti1p3.registration import Registration

#: A retired key stays in the JWKS this long, so a platform that cached the old set, or a
#: token signed just before the rotation, is still verified.
RETIRED_KEY_GRACE = timedelta(days=7)
KEY_BITS = 2048


class PlatformError(ValueError):
    """A registration that cannot be saved; ``problems`` maps each field to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class PlatformSettings:
    """What an LMS administrator gives us when they add the tool."""

    name: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    deployment_ids: list[str] = field(default_factory=list)
    auth_audience: str = ""
    frame_origins: list[str] = field(default_factory=list)


def origin_of(url: str) -> str:
    """The scheme://host[:port] of a URL ('' if it has none)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def _is_web_url(url: str) -> bool:
    return bool(origin_of(url)) and not any(char.isspace() for char in url.strip())


def settings_problems(settings: PlatformSettings) -> dict[str, str]:
    """Every problem with a registration, by field."""
    problems: dict[str, str] = {}
    if not settings.name.strip():
        problems["name"] = gettext("Give the platform a name your colleagues will recognise.")
    if not _is_web_url(settings.issuer):
        # LTI 1.3 issuers are the platform's web address; anything else is a pasted wrong value.
        problems["issuer"] = gettext(
            "Enter the issuer (the platform's iss), e.g. https://canvas.instructure.com."
        )
    if not settings.client_id.strip():
        problems["client_id"] = gettext("Enter the client id the platform gave the tool.")
    for name in ("auth_login_url", "auth_token_url", "key_set_url"):
        if not _is_web_url(getattr(settings, name)):
            problems[name] = gettext("Enter a full web address starting with https://.")
    for origin in settings.frame_origins:
        if not origin_of(origin):
            problems["frame_origins"] = gettext(
                "%(origin)s is not a web address like https://school.example.",
                origin=repr(origin),
            )
    if not [d for d in settings.deployment_ids if d.strip()]:
        problems["deployment_ids"] = gettext("Enter at least one deployment id.")
    return problems


def _frame_origins(settings: PlatformSettings) -> str:
    """The origins that may frame the app: those given, else the issuer's and login URL's."""
    given = [origin_of(origin) for origin in settings.frame_origins]
    chosen = given or [origin_of(settings.issuer), origin_of(settings.auth_login_url)]
    return " ".join(dict.fromkeys(origin for origin in chosen if origin))


@dataclass(frozen=True)
class RegisteredPlatform:
    """A platform just registered, as the page or command that registered it names it."""

    id: int
    name: str
    issuer: str
    client_id: str


def register_platform(
    settings: PlatformSettings, created_by: User | None = None
) -> RegisteredPlatform:
    """Record a platform and its deployments, with the app's signing key if it has none yet, in
    one transaction; raise PlatformError listing every problem."""
    problems = settings_problems(settings)
    issuer, client_id = settings.issuer.strip(), settings.client_id.strip()
    if not problems and find_platform(issuer, client_id) is not None:
        problems["client_id"] = gettext("This issuer and client id are registered already.")
    if problems:
        raise PlatformError(problems)
    platform = LtiPlatform(
        name=settings.name.strip(),
        issuer=issuer,
        client_id=client_id,
        auth_login_url=settings.auth_login_url.strip(),
        auth_token_url=settings.auth_token_url.strip(),
        key_set_url=settings.key_set_url.strip(),
        auth_audience=settings.auth_audience.strip() or None,
        frame_origins=_frame_origins(settings),
        created_by_id=created_by.id if created_by else None,
    )
    for deployment_id in dict.fromkeys(d.strip() for d in settings.deployment_ids if d.strip()):
        platform.deployments.append(LtiDeployment(deployment_id=deployment_id))
    with write_transaction():
        db.session.add(platform)
        ensure_tool_key()
    return RegisteredPlatform(platform.id, platform.name, platform.issuer, platform.client_id)


def remove_platform(platform: LtiPlatform) -> None:
    """Stop accepting launches from a platform (its accounts and classes stay)."""
    with write_transaction():
        db.session.delete(platform)


def platforms() -> list[LtiPlatform]:
    """Every registered platform, by name."""
    return list(db.session.scalars(sa.select(LtiPlatform).order_by(LtiPlatform.name)))


def platform_by_id(platform_id: int) -> LtiPlatform | None:
    """A registered platform."""
    return db.session.get(LtiPlatform, platform_id)


def own_platform(teacher: User, platform_id: int) -> LtiPlatform | None:
    """A platform the teacher registered (those added with ``flask lti add-platform`` are
    changed with the command)."""
    found: LtiPlatform | None = db.session.scalar(
        sa.select(LtiPlatform).where(
            LtiPlatform.id == platform_id, LtiPlatform.created_by_id == teacher.id
        )
    )
    return found


def find_platform(issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The platform with this issuer and client id (or the only one of the issuer, when the
    login request names no client id)."""
    query = sa.select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        found: LtiPlatform | None = db.session.scalar(
            query.where(LtiPlatform.client_id == client_id)
        )
        return found
    candidates = list(db.session.scalars(query.limit(2)))
    return candidates[0] if len(candidates) == 1 else None


def has_deployment(platform: LtiPlatform, deployment_id: str) -> bool:
    """Whether the deployment id is one registered for the platform."""
    return any(d.deployment_id == deployment_id for d in platform.deployments)


# The app's own keys --------------------------------------------------------------------------


def _new_key() -> LtiToolKey:
    from jwcrypto.jwk import JWK

    key = JWK.generate(kty="RSA", size=KEY_BITS)
    public = json.loads(key.export_public())
    kid = key.thumbprint()
    public.update({"kid": kid, "alg": "RS256", "use": "sig"})
    pem = key.export_to_pem(private_key=True, password=None).decode("ascii")
    return LtiToolKey(kid=kid, private_key_pem=pem, public_jwk=public)


def active_key() -> LtiToolKey | None:
    """The key that signs now: the newest one not retired."""
    found: LtiToolKey | None = db.session.scalar(
        sa.select(LtiToolKey)
        .where(LtiToolKey.retired_at.is_(None))
        .order_by(LtiToolKey.id.desc())
        .limit(1)
    )
    return found


def ensure_tool_key() -> LtiToolKey:
    """The signing key, generated the first time it is needed."""
    key = active_key()
    if key is not None:
        return key
    with write_transaction():
        key = active_key()
        if key is None:
            key = _new_key()
            db.session.add(key)
    return key


def rotate_key() -> LtiToolKey:
    """Generate a new signing key and retire the current one (it stays in the JWKS a week)."""
    with write_transaction():
        now = utcnow()
        db.session.execute(
            sa.update(LtiToolKey).where(LtiToolKey.retired_at.is_(None)).values(retired_at=now)
        )
        key = _new_key()
        db.session.add(key)
    return key


def jwks() -> dict[str, list[dict[str, Any]]]:
    """The public keys platforms verify our signatures with: the signing key and recently
    retired ones."""
    since = utcnow() - RETIRED_KEY_GRACE
    keys = db.session.scalars(
        sa.select(LtiToolKey)
        .where(sa.or_(LtiToolKey.retired_at.is_(None), LtiToolKey.retired_at > since))
        .order_by(LtiToolKey.id.desc())
    )
    return {"keys": [dict(key.public_jwk) for key in keys]}


def public_pem(key: LtiToolKey) -> str:
    """The public half of a key in PEM form (what pylti1p3 derives the kid from)."""
    from jwcrypto.jwk import JWK

    pem: bytes = JWK(**key.public_jwk).export_to_pem()
    return pem.decode("ascii")


@lru_cache(maxsize=8)
def loaded_private_key(pem: str) -> Any:
    """The app's signing key as a cryptography key object, loaded (and checked) once per key."""
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(pem.encode("ascii"), password=None)


def tool_registration(platform: LtiPlatform) -> Registration:
    """The platform as PyLTI1p3 sees it, with the app's signing key."""
    from pylti1p3.registration import Registration

    key = ensure_tool_key()
    registration = (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_key_set_url(platform.key_set_url)
        # PyJWT signs with a key object as well as with PEM text; given the text, it parses and
        # checks the RSA key again for every token (about 15 ms: a deep link's answer, each
        # access token for sending scores). The key, loaded once, is what pylti1p3 passes on.
        .set_tool_private_key(loaded_private_key(key.private_key_pem))
        .set_tool_public_key(public_pem(key))
    )
    if platform.auth_audience:
        registration.set_auth_audience(platform.auth_audience)
    return registration
