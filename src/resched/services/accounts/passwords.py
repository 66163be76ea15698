"""Password hashing through libpass's ``CryptContext`` (the maintained passlib fork).

argon2 is the scheme for new hashes; bcrypt hashes from older systems are accepted, marked
deprecated, and replaced by argon2 on the next successful login (``verify_and_update``).

Passwords are Unicode-normalised (NFC) before hashing and checking: "é" typed as one code
point on one keyboard and as "e" plus a combining accent on another is the same password.
Hashes stored before normalisation are checked in the raw form too and replaced on success.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from passlib.context import CryptContext

from resched.core.errors import Invalid

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; the cap only stops absurd payloads
# One-time passwords: no look-alike characters (0/O, 1/l/I), read aloud or copied by hand.
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ONE_TIME_GROUPS = 4
ONE_TIME_GROUP_LENGTH = 5  # 20 characters from 31: about 99 bits


@dataclass(frozen=True, slots=True)
class HashingCosts:
    """Work factors, configurable in settings; tests use the cheapest legal values."""

    argon2_time_cost: int = 3
    argon2_memory_cost: int = 65536
    argon2_parallelism: int = 2
    bcrypt_rounds: int = 12


def make_context(costs: HashingCosts | None = None) -> CryptContext:
    costs = costs or HashingCosts()
    return CryptContext(
        schemes=["argon2", "bcrypt"],
        default="argon2",
        deprecated=["bcrypt"],
        argon2__time_cost=costs.argon2_time_cost,
        argon2__memory_cost=costs.argon2_memory_cost,
        argon2__parallelism=costs.argon2_parallelism,
        bcrypt__rounds=costs.bcrypt_rounds,
    )


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = files("resched.services.data").joinpath("common-passwords.txt").read_text("utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def normalize(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def check_password_policy(password: str, *, username: str = "", field: str = "password") -> None:
    """Raise Invalid naming the field when the password is too weak to accept (checked on
    the NFC form, the one that is hashed)."""
    password = normalize(password)
    if "\x00" in password:
        raise Invalid(f"{field}: must not contain a NUL character", details={"field": field})
    if not password.strip():
        # Twelve spaces pass a length rule and are the first thing a guesser tries.
        raise Invalid(f"{field}: must not be only spaces", details={"field": field})
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"{field}: must be at least {MIN_PASSWORD_LENGTH} characters",
            details={"field": field},
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(
            f"{field}: must be at most {MAX_PASSWORD_LENGTH} characters",
            details={"field": field},
        )
    lowered = password.lower()
    if lowered in common_passwords() or (username and lowered == username.lower()):
        raise Invalid(
            f"{field}: too common or the same as the username; choose another",
            details={"field": field},
        )


def hash_password(context: CryptContext, password: str) -> str:
    return str(context.hash(normalize(password)))


def verify_password(
    context: CryptContext, password: str, stored_hash: str
) -> tuple[bool, str | None]:
    """(matches, new hash to store or None). Never raises for a wrong or odd password.

    The NFC form is checked first; a hash made before passwords were normalised may hold
    another form, so the password as typed is checked next, and a match there is rehashed
    in NFC. bcrypt refuses secrets over 72 bytes with ValueError; against a legacy bcrypt
    hash such a password simply does not match (it cannot have been the original one).
    """
    normal = normalize(password)
    ok, new_hash = _verify(context, normal, stored_hash)
    if ok or normal == password:
        return ok, new_hash
    ok, _ = _verify(context, password, stored_hash)
    return (True, hash_password(context, normal)) if ok else (False, None)


def _verify(context: CryptContext, password: str, stored_hash: str) -> tuple[bool, str | None]:
    try:
        ok, new_hash = context.verify_and_update(password, stored_hash)
    except (ValueError, TypeError):
        return False, None
    return bool(ok), new_hash


def one_time_password() -> str:
    """A random password for an administrator's reset, e.g. ``k7mpq-x3rtw-9hcde-a2fgn``."""
    groups = (
        "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_GROUP_LENGTH))
        for _ in range(ONE_TIME_GROUPS)
    )
    return "-".join(groups)
