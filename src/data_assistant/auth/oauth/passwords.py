"""Passwords of the built-in server's users: argon2id hashes (argon2-cffi), checked in
constant time, with the same work done for an unknown user as for a known one."""

from __future__ import annotations

from collections.abc import Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from data_assistant.settings.oauth import OAuthUser

MAX_PASSWORD_LENGTH = 1024
_HASHER = PasswordHasher()
# Checked when the user name is unknown, so that the answer takes as long either way.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


def hash_password(password: str) -> str:
    """The argon2id hash to store for `password` (argon2-cffi's current defaults)."""
    if not password:
        raise ValueError("the password must not be empty")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at most {MAX_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def check_password(users: Mapping[str, OAuthUser], name: str, password: str) -> OAuthUser | None:
    """The user whose name and password match, or None."""
    user = users.get(name)
    stored = user.password_hash if user is not None else _DUMMY_HASH
    if len(password) > MAX_PASSWORD_LENGTH:
        password = ""
    ok: bool
    try:
        ok = _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        ok = False
    return user if ok and user is not None else None
